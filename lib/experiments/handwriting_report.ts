/**
 * What notebooks 03-04 show of a handwriting network: loading a shipped
 * checkpoint (or, without one, a clearly labelled smoke model trained for a
 * few steps), the mixture trace over a real line for the density maps, the
 * paper's Tables 3-4, and unconditional samples (Fig 11).
 * @module
 */
import * as tf from "../tf.ts";
import type { Params } from "../nn/params.ts";
import { loadTrained, type Trained } from "../runs/trained.ts";
import { type LinesFacts, linesFacts } from "../data/iamondb/record.ts";
import {
  type HandwritingConfig,
  handwritingForward,
  handwritingZeroState,
  sampleHandwriting,
} from "../models/handwriting.ts";
import { type MixtureTrace, mixtureTrace } from "../analysis/density.ts";
import {
  oneHotText,
  type SynthesisConfig,
  synthesisForward,
  synthesisZeroState,
} from "../models/synthesis.ts";
import type { TrainingLine } from "../data/lines.ts";
import { denormalise, offsetsToStrokes } from "../data/iamondb/offsets.ts";
import type { Stroke } from "../data/iamondb/strokes.ts";
import { Rng } from "../util/rng.ts";
import { readEvalFull } from "../report/record.ts";

/** Table 3 (validation set, nats per sequence and SSE per point). */
export const HANDWRITING_TABLE3 = [
  { network: "1 layer", regularisation: "none", nats_per_sequence: -1025.7, sse_per_point: 0.40 },
  { network: "3 layer", regularisation: "none", nats_per_sequence: -1041.0, sse_per_point: 0.41 },
  {
    network: "3 layer",
    regularisation: "adaptive weight noise",
    nats_per_sequence: -1057.7,
    sse_per_point: 0.41,
  },
] as const;

/** Table 4 (synthesis, validation set). */
export const SYNTHESIS_TABLE4 = [
  { regularisation: "none", nats_per_sequence: -1096.9, sse_per_point: 0.23 },
  { regularisation: "adaptive weight noise", nats_per_sequence: -1128.2, sse_per_point: 0.23 },
] as const;

/** A handwriting or synthesis network with what it needs to draw and label (`open` of either experiment). */
export interface LoadedNetwork<C> extends Trained<C>, LinesFacts {
  /** True for a checkpoint that was really trained (shipped), false for a smoke model (its label says so). */
  trained: boolean;
}

/**
 * The line experiments' loader: the checkpoint in `dir`, refused unless it
 * holds an `experiment` run; `smoke: true` marks a network trained only for a
 * smoke run, and its label says so.
 */
export async function openLines<C>(
  dir: string,
  experiment: string,
  o: { smoke?: boolean } = {},
): Promise<LoadedNetwork<C>> {
  const m = await loadTrained<C>(dir, experiment);
  return {
    ...m,
    ...linesFacts(m.meta.data, dir),
    trained: !o.smoke,
    label: o.smoke
      ? `SMOKE MODEL: ${m.epochs.toFixed(3)} epochs (${
        Math.round(m.hours * 3600)
      } s) from scratch, not a trained network`
      : m.label,
  };
}

/** What `deno task eval handwriting|synthesis` writes: the whole validation set's scores. */
export interface FullValidation {
  checkpoint: string;
  step: number;
  epochs: number;
  training_hours: number;
  /** The settings the checkpoint was trained under (absent in files written before phases). */
  trained_under?: string;
  valid_nats_per_sequence: number;
  valid_sse_per_point: number;
  valid_lines_scored: number;
  /** Which validation lines: all (the paper's set), or the select or report half (`validationLines`). */
  valid_lines?: "all" | "select" | "report";
}

/** `eval_full.json` in `dir` when it scored the checkpoint at `step` trained under `trainedUnder` (else undefined: stale or absent). */
export function readFullValidation(
  dir: string,
  step: number,
  trainedUnder?: string,
): FullValidation | undefined {
  return readEvalFull<FullValidation>(dir, step, trainedUnder);
}

/** The mixture over every step of a real line (teacher forcing), for the density map (Fig 10). */
export function handwritingTrace(p: Params, c: HandwritingConfig, line: TrainingLine): MixtureTrace {
  const yHat = tf.tidy(() => {
    const T = line.n - 1;
    const x = tf.tensor3d(line.points.subarray(0, 3 * T), [T, 1, 3]);
    return handwritingForward(p, c, x, handwritingZeroState(c, 1)).yHat;
  });
  const trace = mixtureTrace(yHat);
  yHat.dispose();
  return trace;
}

/** Unconditional samples (Fig 11) in tablet units; `biasWeights` false biases σ only (`sampleHandwriting`). */
export function handwritingSamples(
  net: LoadedNetwork<HandwritingConfig>,
  count: number,
  steps: number,
  bias: number,
  seed: number,
  biasWeights = true,
): Stroke[][] {
  return Array.from({ length: count }, (_, k) => {
    const pts = sampleHandwriting(
      net.params,
      net.config,
      steps,
      new Rng(seed + k),
      bias,
      "auto",
      biasWeights,
    );
    return offsetsToStrokes(denormalise(pts, net.stats, false));
  });
}

/** φ(t, u) over a real line and its text (teacher forcing), [T, U] row-major, and the mixture trace. */
export function synthesisTrace(
  p: Params,
  c: SynthesisConfig,
  line: TrainingLine,
): { phi: Float32Array; T: number; U: number; trace: MixtureTrace } {
  const T = line.n - 1, U = line.codes!.length;
  const chars = oneHotText(line.codes!, 1, U, c.charClasses);
  const [yHat, phi] = tf.tidy(() => {
    const x = tf.tensor3d(line.points.subarray(0, 3 * T), [T, 1, 3]);
    const r = synthesisForward(p, c, x, chars, synthesisZeroState(c, 1));
    return [r.yHat, r.phi];
  });
  const trace = mixtureTrace(yHat);
  const phiData = phi.dataSync() as Float32Array;
  tf.dispose([yHat, phi, chars]);
  return { phi: phiData, T, U, trace };
}
