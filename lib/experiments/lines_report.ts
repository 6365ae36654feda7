/**
 * What notebooks 03 and 04 share: the network they report on (shipped, or a
 * labelled smoke model), Tables 3 and 4 built by one helper (the paper's
 * rows beside ours, each of ours saying how it was scored), and
 * `metrics.json`.
 * @module
 */
import type { ProgressFn } from "../train/progress.ts";
import { evaluateHandwriting, evaluateSynthesis, type LineScores } from "../eval/evaluate.ts";
import type { HandwritingConfig } from "../models/handwriting.ts";
import type { SynthesisConfig } from "../models/synthesis.ts";
import { type RunRecord, writeMetrics } from "../report/record.ts";
import type { Experiment } from "./define.ts";
import type { LinesProfile } from "./handwriting.ts";
import type { IamData } from "./iam.ts";
import {
  type FullValidation,
  HANDWRITING_TABLE3,
  type LoadedNetwork,
  loadNetwork,
  readFullValidation,
  SYNTHESIS_TABLE4,
} from "./handwriting_report.ts";

/** The shipped network of `experiment`, or, without one, a smoke model trained here for a few steps. */
export async function iamNetwork<C>(
  experiment: Experiment<LinesProfile<C>, IamData>,
  data: IamData,
  onProgress?: ProgressFn,
): Promise<LoadedNetwork<C>> {
  const kind = experiment.name as "handwriting" | "synthesis";
  const shipped = await loadNetwork<C>(experiment.shipped, { experiment: kind });
  if (shipped) return shipped;
  const runDir = await Deno.makeTempDir();
  await experiment.train(experiment.profiles.quick, { runDir, ship: false, data, onProgress });
  return (await loadNetwork<C>(runDir, { smoke: true, experiment: kind }))!;
}

/** The two line experiments' scorers and paper rows. */
const KINDS = {
  handwriting: {
    paper: HANDWRITING_TABLE3.map((r) => ({ ...r })),
    score: (n: LoadedNetwork<unknown>, lines: IamData["valid"]) =>
      evaluateHandwriting(n.params, n.config as HandwritingConfig, lines),
  },
  synthesis: {
    paper: SYNTHESIS_TABLE4.map((r) => ({ network: "3 layer", ...r })),
    score: (n: LoadedNetwork<unknown>, lines: IamData["valid"]) =>
      evaluateSynthesis(n.params, n.config as SynthesisConfig, lines),
  },
};

/** A table of scores on IAM-OnDB's validation lines, and the scores behind our rows. */
export interface LinesTable {
  rows: Record<string, string | number | null>[];
  /** This run's score on the first `validLines` lines. */
  score: LineScores;
  /** All 1,438 lines, when `deno task eval <kind>` scored this very checkpoint. */
  full?: FullValidation;
}

const r1 = (x: number) => Math.round(x * 10) / 10, r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Table 3 (`kind` handwriting) or Table 4 (synthesis): the paper's rows, ours
 * on the first `validLines` validation lines, and ours on all of them when
 * `deno task eval <kind>` scored this checkpoint (read from `out`).
 */
export function linesTable(
  kind: keyof typeof KINDS,
  net: LoadedNetwork<{ layers: number }>,
  data: IamData,
  validLines: number,
  out: string,
): LinesTable {
  const k = KINDS[kind];
  const valid = data.valid.slice(0, validLines);
  const score = k.score(net as LoadedNetwork<unknown>, valid);
  const full = net.trained ? readFullValidation(out, net.step, net.trainedUnder) : undefined;
  const ours = (scored: string, nats: number, sse: number, lines: number) => ({
    source: "ours",
    network: `${net.config.layers} layer`,
    checkpoint: net.label,
    regularisation: "none",
    scored,
    nats_per_sequence: r1(nats),
    sse_per_point: r2(sse),
    valid_lines: lines,
  });
  const table = kind === "handwriting" ? "Table 3" : "Table 4";
  const rows = [
    ...k.paper.map((r) => ({
      source: "paper",
      network: r.network,
      checkpoint: table,
      regularisation: r.regularisation,
      scored: "validation set",
      nats_per_sequence: r.nats_per_sequence,
      sse_per_point: r.sse_per_point,
      valid_lines: 1438,
    })),
    ours("this run", score.natsPerSequence, score.ssePerPoint, score.lines),
    ...(full
      ? [
        ours(
          `deno task eval ${kind}`,
          full.valid_nats_per_sequence,
          full.valid_sse_per_point,
          full.valid_lines_scored,
        ),
      ]
      : []),
  ];
  return { rows, score, full };
}

/** Writes notebook 03's or 04's `metrics.json`: the 1,438-line scores where scored, else this run's. */
export function linesMetrics(
  net: LoadedNetwork<unknown>,
  t: LinesTable,
  out: string,
  record: RunRecord,
  extra: Record<string, unknown> = {},
): string {
  const { score, full } = t;
  return writeMetrics(out, {
    valid_nats_per_sequence: full?.valid_nats_per_sequence ?? score.natsPerSequence,
    valid_sse_per_point: full?.valid_sse_per_point ?? score.ssePerPoint,
    valid_lines_scored: full?.valid_lines_scored ?? score.lines,
    valid_nats_per_sequence_this_run: score.natsPerSequence,
    valid_lines_this_run: score.lines,
    checkpoint_step: net.step,
    trained: net.trained,
    epochs: net.epochs,
    training_hours: net.hours,
    label: net.label,
    trained_under: net.trainedUnder,
    ...extra,
  }, record);
}

/** What notebook 03 does: validation lines scored, unconditional samples (Fig 11, unbiased as the paper's), the Fig 10 word. */
export const HANDWRITING_NOTEBOOK_PAPER = {
  validLines: 1438,
  samples: 6,
  sampleLength: 700,
  bias: 0,
  /** Bias σ only (false) or π too, as the paper (true); no effect at bias 0. */
  biasWeights: true,
  seed: 3,
  /** Fig 10's word, the paper's ("under"): the first validation line that writes it clearly apart. */
  densityWord: "under",
};

/** What notebook 03's quick profile changes: the first 128 validation lines, four samples. */
export const HANDWRITING_NOTEBOOK_QUICK_CHANGES: Partial<typeof HANDWRITING_NOTEBOOK_PAPER> = {
  validLines: 128,
  samples: 4,
};

/**
 * What notebook 04 does: the texts, biases and primes written; `finishStroke`
 * and `biasWeights: false` go beyond the paper (titles say so; `endings`
 * counts what the paper's stopping rule alone would cut).
 */
export const SYNTHESIS_NOTEBOOK_PAPER = {
  validLines: 1438,
  text: "under the sea",
  biases: [0, 0.15, 0.5, 1, 2],
  realLines: [41, 74],
  samplesPerText: 3,
  lines: [
    "This paper shows how Long Short-term",
    "Memory recurrent neural networks can be",
    "used to generate complex sequences with",
    "long-range structure, simply by predicting",
    "one data point at a time.",
  ],
  primes: [1, 2, 3],
  endingSamples: 24,
  endingBiases: [0.5, 1, 2],
  seed: 1,
  alignLine: 0,
  densityWord: "under",
  maxStepsPerChar: 40,
  finishStroke: 150,
  biasWeights: false,
  unbiasedFirstStroke: false,
};

/** What notebook 04's quick profile changes: the first 64 validation lines. */
export const SYNTHESIS_NOTEBOOK_QUICK_CHANGES: Partial<typeof SYNTHESIS_NOTEBOOK_PAPER> = { validLines: 64 };
