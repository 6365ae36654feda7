/**
 * Handwriting from text with the synthesis network (section 5): encode the
 * text, optionally prime with a real line's style (section 5.5), sample with a
 * bias (section 5.4) until the window passes the last character, and turn the
 * offsets back into pen strokes. Used by notebook 04 and `deno task write`.
 * @module
 */
import * as tf from "../tf.ts";
import { holdsCheckpoint, readCheckpointMeta } from "../runs/checkpoint.ts";
import type { SynthesisConfig } from "../models/synthesis.ts";
import { sampleSynthesis } from "../models/synthesis_sample.ts";
import { type Charset, encodeText } from "../data/iamondb/charset.ts";
import { denormalise, offsetsToStrokes } from "../data/iamondb/offsets.ts";
import type { Stroke } from "../data/iamondb/strokes.ts";
import { Rng } from "../util/rng.ts";
import { displayPath } from "../util/paths.ts";
import type { LoadedNetwork } from "./handwriting_report.ts";
import { EXPERIMENTS, WRITES } from "./registry.ts";
export { wrapText } from "../util/text.ts";

/** A network ready to write: a line network that knows its characters (the paper's synthesis network or the writer). */
export interface Writer extends LoadedNetwork<SynthesisConfig> {
  charset: Charset;
}

/** What writing needs of a network: its weights, config, normalisation statistics and characters. */
export type WritingNetwork = Pick<Writer, "params" | "config" | "stats" | "charset">;

/**
 * Loads the checkpoint in `dir` (default: the shipped network `deno task
 * write` and the page use) with the loader of the experiment its record
 * names, refusing one that writes no text by name.
 */
export async function loadWriter(dir: string = WRITES.shipped): Promise<Writer> {
  if (!holdsCheckpoint(dir)) {
    throw new Error(
      `no checkpoint in ${displayPath(dir)}: train one with \`deno task train ${WRITES.name}\``,
    );
  }
  const recorded = experimentOf(readCheckpointMeta(dir).meta);
  const experiment = EXPERIMENTS[recorded];
  if (!experiment?.writes) {
    const writers = Object.keys(EXPERIMENTS).filter((n) => EXPERIMENTS[n].writes).join(" or ");
    throw new Error(
      `${displayPath(dir)} holds a ${recorded} checkpoint, not one that writes text (${writers})`,
    );
  }
  return await experiment.open(dir) as Writer;
}

/** The experiment a writing network's record names (`synthesis` or `writer`); records older than the writer name none and are synthesis networks. */
export function experimentOf(meta: Record<string, unknown>): string {
  return String(meta.experiment ?? "synthesis");
}

/** One written line. */
export interface Written {
  strokes: Stroke[];
  /** The sampled offsets as the network drew them (normalised units, no null first point): a prime for what follows. */
  points: Float32Array;
  /** φ(t, u) [steps, U] over the text that was conditioned on. */
  phi: Float32Array;
  steps: number;
  U: number;
  /** Whether the stopping rule fired; false when the step cap ended the line (the pen stalled or wandered). */
  finished: boolean;
  /** The line ends with the pen down: its last stroke was cut short. */
  cut: boolean;
  /** The paper's stopping rule fired with the pen down: without `finishStroke` the last stroke would be cut there. */
  cutByRule: boolean;
  /** Unfinished draws discarded before this one (`WriteOptions.redraws`). */
  redrawn: number;
  /** Sampling time of this draw. */
  seconds: number;
}

/** Options for `write`. */
export interface WriteOptions {
  bias?: number;
  seed?: number;
  /** A real line to imitate: its normalised offsets and transcription (section 5.5). */
  prime?: { points: Float32Array; n: number; text: string };
  maxSteps?: number;
  /** Points allowed after the stopping rule to finish the last stroke (`SynthesisSampleOptions.finishStroke`). @default 0 */
  finishStroke?: number;
  /** Bias only from the first pen lift on (`SynthesisSampleOptions.unbiasedFirstStroke`). @default false */
  unbiasedFirstStroke?: boolean;
  /** Bias the mixture weights too, as the paper does (`SynthesisSampleOptions.biasWeights`). @default true */
  biasWeights?: boolean;
  /**
   * Draw again, at most this many times, when the step cap ends a sample
   * before the stopping rule fires (a stalled pen); redraw r uses seed
   * `seed + 1000·r`. Not in the paper. @default 0
   */
  redraws?: number;
}

/**
 * Writes `text`. Characters outside the writer's encoding throw an error that
 * names them. With a prime, the network reads the prime's text followed by
 * `text` and is fed the prime's real strokes first. With `redraws`, an
 * unfinished sample is drawn again with another seed; `redrawn` counts the
 * discarded draws and the last draw is returned, finished or not.
 */
export function write(w: WritingNetwork, text: string, o: WriteOptions = {}): Written {
  let r = writeOnce(w, text, o, o.seed ?? 1), redrawn = 0;
  while (!r.finished && redrawn < (o.redraws ?? 0)) {
    redrawn++;
    r = writeOnce(w, text, o, (o.seed ?? 1) + 1000 * redrawn);
  }
  return { ...r, redrawn };
}

function writeOnce(w: WritingNetwork, text: string, o: WriteOptions, seed: number): Written {
  const full = o.prime ? `${o.prime.text} ${text}` : text;
  const codes = encodeText(full, w.charset);
  const t0 = performance.now();
  const r = sampleSynthesis(w.params, w.config, codes, new Rng(seed), {
    bias: o.bias ?? 0,
    maxSteps: o.maxSteps ?? 40 * encodeText(text, w.charset).length + 40,
    prime: o.prime?.points.subarray(0, 3 * o.prime.n),
    finishStroke: o.finishStroke,
    unbiasedFirstStroke: o.unbiasedFirstStroke,
    biasWeights: o.biasWeights,
  });
  const raw = denormalise(r.points, w.stats, false);
  return {
    strokes: offsetsToStrokes(raw, r.steps),
    points: r.points,
    phi: r.phi,
    steps: r.steps,
    U: r.U,
    finished: r.finished,
    cut: r.cut,
    cutByRule: r.cutByRule,
    redrawn: 0,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Frees a writer's weights. */
export function disposeWriter(w: Pick<Writer, "params">): void {
  tf.dispose(Object.values(w.params));
}
