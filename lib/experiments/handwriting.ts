/**
 * Handwriting prediction (section 4, Table 3) and synthesis (section 5,
 * Table 4): named training profiles and the runs behind the shipped
 * checkpoints. Notebooks 03-04 and `deno task train handwriting|synthesis` call this.
 * @module
 */
import { AWN_INIT_STD, AWN_SIGMA_PAPER } from "../train/adaptive_noise.ts";
import { HANDWRITING_PAPER, type HandwritingConfig, handwritingSpecs } from "../models/handwriting.ts";
import { SYNTHESIS_PAPER, type SynthesisConfig, synthesisSpecs } from "../models/synthesis.ts";
import { RMSPROP_PAPER } from "../train/optimizers.ts";
import { HandwritingTask, SynthesisTask } from "../train/tasks.ts";
import { LineBatcher, type TrainingLine } from "../data/lines.ts";
import { evaluateHandwriting, evaluateSynthesis } from "../eval/evaluate.ts";
import { type IamData, prepareIam, validationLines } from "./iam.ts";
import type { TrainingProfile } from "../runs/run.ts";
import { defineExperiment, type Experiment, type SeedsFrom } from "./define.ts";
import { type LoadedNetwork, openLines } from "./handwriting_report.ts";
import { linesHeadline, linesScoring } from "./lines_eval.ts";
import type { HeadlineRow, ReadResult } from "../report/headline.ts";
import type { GalleryEntry } from "../report/results_index.ts";
import type { LineScores } from "../eval/evaluate.ts";
import type { Params, ParamSpec } from "../nn/params.ts";
import type { Task } from "../train/tasks.ts";

/** A named way to train a handwriting network. */
export interface LinesProfile<C> extends TrainingProfile<C> {
  /** Validation lines scored at each evaluation (the first N of the selection half, for speed). */
  evalLines: number;
  /**
   * Half-width h, in tablet units, of the uniform noise added to training
   * offsets (`Dequantise` in `lib/data/lines.ts`; 0.5 spans one unit); 0 for
   * none, as in the paper. Validation is always scored on the data as it is.
   */
  dequantise: number;
  /**
   * Lines whose transcription holds any of `chars` appear `times` times in
   * each epoch (not in the paper: the writer's digits are 0.3% of the
   * training characters, in 348 of 10,740 lines). Absent: each line once.
   */
  oversample?: { chars: string; times: number };
}

/**
 * Section 4: 3 × 400 cells, 20 mixture components, RMSProp with the paper's
 * ℵ, ℶ, ℷ, ℸ, derivatives clipped to [−10, 10] (LSTM) and [−100, 100] (output).
 * The paper gives no batch size, truncation or epoch count: B = 32 lines,
 * T = 100 points, 20 epochs are ours.
 */
export const HANDWRITING_PROFILE_PAPER: LinesProfile<HandwritingConfig> = {
  name: "paper",
  why: "Table 3, 3-layer row: the paper's network, RMSProp (eqs 38-45) and clipping",
  model: HANDWRITING_PAPER,
  batch: 32,
  steps: 100,
  optimizer: { name: "rmsprop", hyper: { ...RMSPROP_PAPER } },
  epochs: 20,
  weightNoise: 0,
  evalEvery: 500,
  checkpointEvery: 100,
  evalLines: 128,
  dequantise: 0,
};

/** Table 3's last row (−1057.7 nats): the same with adaptive weight noise; `--from results/checkpoints/handwriting` starts from the shipped weights. */
export const HANDWRITING_PROFILE_AWN: LinesProfile<HandwritingConfig> = {
  ...HANDWRITING_PROFILE_PAPER,
  name: "paper-awn",
  why: "Table 3, 3 layers + adaptive weight noise: a learned σ per weight (Graves 2011)",
  adaptiveNoise: true,
  awnInitStd: AWN_INIT_STD,
  ...AWN_SIGMA_PAPER,
};

/** A minute of real training (CI smoke run); the shipped checkpoint does the evaluation. */
export const HANDWRITING_PROFILE_QUICK: LinesProfile<HandwritingConfig> = {
  ...HANDWRITING_PROFILE_PAPER,
  name: "quick",
  why: "CI smoke run",
  epochs: 0.01,
  evalEvery: 0,
  checkpointEvery: 0,
};

/** Section 5: the prediction network with a 10-Gaussian window over 57 character classes. */
export const SYNTHESIS_PROFILE_PAPER: LinesProfile<SynthesisConfig> = {
  ...HANDWRITING_PROFILE_PAPER, // every setting but the model, which is replaced
  why: "Table 4: the synthesis network of section 5, RMSProp (eqs 38-45) and clipping",
  model: SYNTHESIS_PAPER,
};

/** Table 4's adaptive-noise figure (−1128.2 nats): the synthesis network with adaptive weight noise. */
export const SYNTHESIS_PROFILE_AWN: LinesProfile<SynthesisConfig> = {
  ...SYNTHESIS_PROFILE_PAPER,
  name: "paper-awn",
  why: "Table 4 with adaptive weight noise: a learned σ per weight (Graves 2011)",
  adaptiveNoise: true,
  awnInitStd: AWN_INIT_STD,
  ...AWN_SIGMA_PAPER,
};

/** CI smoke run for synthesis. */
export const SYNTHESIS_PROFILE_QUICK: LinesProfile<SynthesisConfig> = {
  ...SYNTHESIS_PROFILE_PAPER,
  name: "quick",
  why: "CI smoke run",
  epochs: 0.005,
  evalEvery: 0,
  checkpointEvery: 0,
};

/** Profiles by experiment and name. */
export const HANDWRITING_PROFILES = {
  paper: HANDWRITING_PROFILE_PAPER,
  "paper-awn": HANDWRITING_PROFILE_AWN,
  quick: HANDWRITING_PROFILE_QUICK,
};
export const SYNTHESIS_PROFILES = {
  paper: SYNTHESIS_PROFILE_PAPER,
  "paper-awn": SYNTHESIS_PROFILE_AWN,
  quick: SYNTHESIS_PROFILE_QUICK,
};

const dataMeta = (d: IamData) => ({
  stats: d.stats,
  charset: { name: d.charset.name, symbols: d.charset.symbols },
  iamondb: d.db.fingerprint,
  split: d.split.how,
  trainLines: d.train.length,
  validLines: d.valid.length,
});

/** Validation scores in Tables 3 and 4's units. */
const scores = (s: { natsPerSequence: number; ssePerPoint: number }) => ({
  valid_nats_per_sequence: s.natsPerSequence,
  valid_sse_per_point: s.ssePerPoint,
});

/** What differs between the line experiments: the network's weights, task and scorer. */
export interface LinesNetwork<C> {
  specs: (c: C) => Record<string, ParamSpec>;
  task: (c: C, lines: LineBatcher) => Task;
  score: (p: Params, c: C, valid: TrainingLine[]) => LineScores;
}

/**
 * An experiment on IAM-OnDB's training lines, scored while training on the
 * first `evalLines` lines of the validation selection half (`validationLines`):
 * in-run scores choose snapshots, so they never see the report half.
 */
export function linesExperiment<C>(
  name: string,
  profiles: Record<string, LinesProfile<C>>,
  net: LinesNetwork<C>,
  o: {
    /** Its results folder under `results/`. */
    results: string;
    charset?: "paper" | "people";
    seedsFrom?: SeedsFrom;
    /** Its README row. */
    headline?: (read: ReadResult) => HeadlineRow[];
    /** Whether it writes text (a synthesis network). */
    writes?: boolean;
    /** Its figures beside the paper's. */
    gallery?: readonly GalleryEntry[];
  },
): Experiment<LinesProfile<C>, IamData, LoadedNetwork<C>> {
  const loadData = () => prepareIam({ charset: o.charset });
  const open = (dir: string) => openLines<C>(dir, name);
  return defineExperiment<LinesProfile<C>, IamData, LoadedNetwork<C>>({
    name,
    unit: "points",
    profiles,
    defaultProfile: "paper",
    loadData,
    open,
    results: o.results,
    scoring: linesScoring({ loadData, open, score: net.score }),
    headline: o.headline,
    writes: o.writes,
    gallery: o.gallery,
    seedsFrom: o.seedsFrom,
    setup: (profile, data, seed) => {
      const lines = batcher(data, profile, seed);
      const valid = validationLines(data, "select").lines.slice(0, profile.evalLines);
      return {
        model: profile.model,
        specs: net.specs(profile.model),
        task: net.task(profile.model, lines),
        stepsPerEpoch: meanSegments(lines),
        evaluate: (p) => scores(net.score(p, profile.model, valid)),
        meta: { data: dataMeta(data) },
        // the fingerprint includes the parser's version: the shipped networks predate the strict parser
        exportMayDiffer: ["data.iamondb"],
      };
    },
  });
}

/** Section 4's experiment: the prediction network on IAM-OnDB's training lines. */
export const HANDWRITING: Experiment<
  LinesProfile<HandwritingConfig>,
  IamData,
  LoadedNetwork<HandwritingConfig>
> = linesExperiment(
  "handwriting",
  HANDWRITING_PROFILES,
  {
    specs: handwritingSpecs,
    task: (c, lines) => new HandwritingTask(c, lines),
    score: (p, c, valid) => evaluateHandwriting(p, c, valid),
  },
  {
    results: "03_handwriting_prediction",
    headline: linesHeadline("Handwriting prediction", "03_handwriting_prediction", -1041.0, "Table 3", {
      paper: -1057.7,
      kind: "handwriting",
    }),
    gallery: [
      {
        png: "03_handwriting_prediction/fig10_density_map.png",
        paper: "Fig 10",
        compare: "as the paper's: small sharp blobs inside strokes, wide clouds at pen lifts, π below",
      },
      {
        png: "03_handwriting_prediction/fig11_samples.png",
        paper: "Fig 11",
        compare: "unbiased 700-point samples like the paper's: letter-like strokes, some real short words",
      },
    ],
  },
);

/** Section 5's network: its weights, task and scorer (the paper's 57 classes or the writer's 76). */
export const SYNTHESIS_NETWORK: LinesNetwork<SynthesisConfig> = {
  specs: synthesisSpecs,
  task: (c, lines) => new SynthesisTask(c, lines),
  score: (p, c, valid) => evaluateSynthesis(p, c, valid),
};

/** Section 5's experiment: the synthesis network on the same lines and their transcriptions. */
export const SYNTHESIS: Experiment<LinesProfile<SynthesisConfig>, IamData, LoadedNetwork<SynthesisConfig>> =
  linesExperiment("synthesis", SYNTHESIS_PROFILES, SYNTHESIS_NETWORK, {
    results: "04_handwriting_synthesis",
    writes: true,
    headline: linesHeadline("Handwriting synthesis", "04_handwriting_synthesis", -1096.9, "Table 4", {
      paper: -1128.2,
      kind: "synthesis",
    }),
    gallery: [
      {
        png: "04_handwriting_synthesis/fig13_alignment.png",
        paper: "Fig 13",
        compare: "the same staircase: each character attended while it is written",
      },
      {
        png: "04_handwriting_synthesis/fig14_density_map.png",
        paper: "Fig 14",
        compare: "the paper's point: knowing the text, the clouds at pen lifts are narrower than Fig 10's",
      },
      {
        png: "04_handwriting_synthesis/fig15_real_vs_generated.png",
        paper: "Fig 15",
        compare: "real lines above unbiased samples of their text; ours as varied, some less legible",
      },
      {
        png: "04_handwriting_synthesis/fig16_unbiased.png",
        paper: "Fig 16",
        compare: "a different hand on every line, as in the paper's unbiased samples",
      },
      {
        png: "04_handwriting_synthesis/fig17_biased.png",
        paper: "Fig 17",
        compare: "neater with bias as in the paper's; last strokes finished (our rule; endings.csv counts)",
      },
      {
        png: "04_handwriting_synthesis/fig20_primed.png",
        paper: "Fig 20",
        compare: "the text in each prime's hand; slant and size follow the prime, as in the paper's",
      },
    ],
  });

/** The training lines, those `o` names repeated `o.times` times in all (`LinesProfile.oversample`). */
export function oversampledLines(
  data: { train: TrainingLine[]; split: { train: { text: string }[] } },
  o?: { chars: string; times: number },
): TrainingLine[] {
  if (!o || o.times <= 1) return data.train;
  const out = [...data.train];
  data.split.train.forEach((l, i) => {
    if ([...o.chars].some((c) => l.text.includes(c))) {
      for (let k = 1; k < o.times; k++) out.push(data.train[i]);
    }
  });
  return out;
}

/** The training lines in seeded batches, dequantised by `profile.dequantise` tablet units. */
function batcher(data: IamData, profile: LinesProfile<unknown>, seed = 1): LineBatcher {
  const h = profile.dequantise ?? 0;
  const [sx, sy] = data.stats.std;
  return new LineBatcher(
    oversampledLines(data, profile.oversample),
    profile.batch,
    profile.steps,
    seed,
    h ? { x: h / sx, y: h / sy } : undefined,
  );
}

/** Steps per epoch: batches × segments per batch, from the first epoch's batches. */
function meanSegments(lines: LineBatcher): number {
  let n = 0;
  for (let b = 0; b < lines.batches; b++) n += lines.segmentsOf(0, b);
  return n;
}
