/**
 * What notebooks 03 and 04 share: the network they report on (shipped, or a
 * labelled smoke model), Tables 3 and 4 built by one helper (the paper's
 * rows beside ours, each of ours saying how it was scored; the adaptive
 * weight noise network's rows where one is shipped beside the experiment's
 * own), and `metrics.json`.
 * @module
 */
import type { ProgressFn } from "../train/progress.ts";
import { evaluateHandwriting, evaluateSynthesis, type LineScores } from "../eval/evaluate.ts";
import type { HandwritingConfig } from "../models/handwriting.ts";
import type { SynthesisConfig } from "../models/synthesis.ts";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";
import { readEvalFull, type RunRecord, writeMetrics } from "../report/record.ts";
import { shippedDir } from "../runs/run.ts";
import { type TrainedFacts, trainedFacts } from "../runs/trained.ts";
import type { Experiment } from "./define.ts";
import { holdsCheckpoint } from "../runs/checkpoint.ts";
import { awnName } from "./lines_eval.ts";
import type { LinesProfile } from "./handwriting.ts";
import type { IamData } from "./iam.ts";
import {
  type FullValidation,
  HANDWRITING_TABLE3,
  type LoadedNetwork,
  openLines,
  readFullValidation,
  SYNTHESIS_TABLE4,
} from "./handwriting_report.ts";
import type { SampleSettings } from "./handwriting_figures.ts";
import type { WritingSettings } from "./synthesis_figures.ts";

/** The shipped network of `experiment`, or, without one, a smoke model trained here for a few steps. */
export async function iamNetwork<C>(
  experiment: Experiment<LinesProfile<C>, IamData>,
  data: IamData,
  onProgress?: ProgressFn,
): Promise<LoadedNetwork<C>> {
  if (holdsCheckpoint(experiment.shipped)) return await openLines<C>(experiment.shipped, experiment.name);
  const runDir = await Deno.makeTempDir();
  await experiment.train(experiment.profiles.quick, { runDir, ship: false, data, onProgress });
  return await openLines<C>(runDir, experiment.name, { smoke: true });
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

/** Where an experiment's adaptive weight noise network is shipped: `results/checkpoints/<kind>-awn`. */
const awnCheckpoint = (kind: string): string => shippedDir(awnName(kind));

/** The AWN network's record and its scores, as `deno task eval <kind> --checkpoint <awnCheckpoint>` wrote them. */
export interface AwnScores {
  facts: TrainedFacts;
  /** All 1,438 lines (`eval_full.json`) and the report half (`eval_report.json`) of this very checkpoint. */
  full?: FullValidation;
  report?: FullValidation;
}

/**
 * The shipped AWN network of `kind` and its scores in `out/<kind>-awn/`
 * (stale files, of another step or training, are not read); undefined when
 * none is shipped.
 */
export function awnScores(kind: string, out: string): AwnScores | undefined {
  const dir = awnCheckpoint(kind);
  if (!holdsCheckpoint(dir)) return undefined;
  const facts = trainedFacts(dir, kind);
  const folder = join(out, awnName(kind));
  const read = (file: string) => readEvalFull<FullValidation>(folder, facts.step, facts.trainedUnder, file);
  return { facts, full: read("eval_full.json"), report: read("eval_report.json") };
}

/** A table of scores on IAM-OnDB's validation lines, and the scores behind our rows. */
export interface LinesTable {
  rows: Record<string, string | number | null>[];
  /** This run's score on the first `validLines` lines. */
  score: LineScores;
  /** All 1,438 lines, when `deno task eval <kind>` scored this very checkpoint. */
  full?: FullValidation;
  /** The adaptive weight noise network's, where one is shipped. */
  awn?: AwnScores;
}

const r1 = (x: number) => Math.round(x * 10) / 10, r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Table 3 (`kind` handwriting) or Table 4 (synthesis): the paper's rows, ours
 * on the first `validLines` validation lines, and ours on all of them when
 * `deno task eval <kind>` scored this checkpoint (read from `out`); then the
 * shipped AWN network's on all lines and on the report half, where scored.
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
  const awn = net.trained ? awnScores(kind, out) : undefined;
  const ours = (scored: string, nats: number, sse: number, lines: number, noise?: TrainedFacts) => ({
    source: "ours",
    network: `${net.config.layers} layer`,
    checkpoint: noise ? noise.label : net.label,
    regularisation: noise ? "adaptive weight noise" : "none",
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
    ...[awn?.full, awn?.report].filter((v) => v !== undefined).map((v) =>
      ours(
        `deno task eval ${kind} --checkpoint ${relative(PROJECT_ROOT, awnCheckpoint(kind))}` +
          (v.valid_lines === "report" ? " --lines report" : ""),
        v.valid_nats_per_sequence,
        v.valid_sse_per_point,
        v.valid_lines_scored,
        awn!.facts,
      )
    ),
  ];
  return { rows, score, full, awn };
}

/**
 * Writes notebook 03's or 04's `metrics.json`: the 1,438-line scores where
 * scored, else this run's; and the AWN network's (`awn_…`) where scored.
 */
export function linesMetrics(
  net: LoadedNetwork<unknown>,
  t: LinesTable,
  out: string,
  record: RunRecord,
  extra: Record<string, unknown> = {},
): string {
  const { score, full, awn } = t;
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
    ...(awn?.full
      ? {
        awn_valid_nats_per_sequence: awn.full.valid_nats_per_sequence,
        awn_valid_nats_per_sequence_report: awn.report?.valid_nats_per_sequence ?? null,
        awn_valid_sse_per_point: awn.full.valid_sse_per_point,
        awn_checkpoint_step: awn.facts.step,
        awn_epochs: awn.facts.epochs,
        awn_training_hours: awn.facts.hours,
        awn_label: awn.facts.label,
        awn_trained_under: awn.facts.trainedUnder,
      }
      : {}),
    ...extra,
  }, record);
}

/** Notebook 03's settings (its first code cell gives them as literal values). */
export interface HandwritingNotebookConfig extends SampleSettings {
  /** Table 3: validation lines scored in the notebook (the paper: all 1,438). */
  validLines: number;
  /** Fig 10's word, the paper's ("under"): the first validation line that writes it clearly apart. */
  densityWord: string;
}

/**
 * Notebook 04's settings (its first code cell gives them as literal values):
 * the texts, biases and primes written; `finishStroke` and `biasWeights:
 * false` go beyond the paper (titles say so; `endings` counts what the
 * paper's stopping rule alone would cut).
 */
export interface SynthesisNotebookConfig extends WritingSettings {
  /** Table 4: validation lines scored in the notebook (the paper: all 1,438). */
  validLines: number;
  /** Fig 13: the validation line aligned. */
  alignLine: number;
  /** Fig 14's word. */
  densityWord: string;
}
