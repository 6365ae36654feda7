/**
 * The text predictor of section 3: one-hot symbols (characters, bytes or words) in, a deep peephole LSTM
 * stack with skip connections, a softmax over the next symbol out.
 * @module
 */
import * as tf from "../tf.ts";
import type { Params, ParamSpec } from "../nn/params.ts";
import { bitsPerSymbol, sampleSoftmax } from "../nn/softmax.ts";
import {
  disposeState,
  keepState,
  outputLayer,
  outputSpecs,
  stackForward,
  stackSpecs,
  type StackState,
  zeroState,
} from "./stack.ts";
import { type CellName, cellOf } from "../nn/cells.ts";
import type { Rng } from "../util/rng.ts";
import { track } from "../util/track.ts";

/** Sizes of a text network. */
export interface TextConfig {
  /** K, input and output symbols. */
  symbols: number;
  /** H, cells per layer. */
  cells: number;
  /** N, hidden layers. */
  layers: number;
  /** Bound on the LSTM pre-activation derivatives (section 3: [−1, 1]). */
  clip: number;
  /**
   * How the one-hot input reaches W_x: "one-hot" (default) multiplies a [T, B, K]
   * one-hot tensor, "lookup" picks W_x's rows by code (the same maths; for 10,000 words).
   */
  input?: "one-hot" | "lookup";
  /** The recurrent cell H (`lib/nn/cells.ts`; default the paper's LSTM, eqs 7-11). */
  cell?: CellName;
}

/** Section 3.1: 1000 cells, 49 symbols, derivatives clipped to [−1, 1] (~4.3M weights). */
export const PTB_PAPER: TextConfig = { symbols: 49, cells: 1000, layers: 1, clip: 1 };
/** Section 3.2: seven layers of 700 cells, 205 byte symbols. */
export const WIKIPEDIA_PAPER: TextConfig = { symbols: 205, cells: 700, layers: 7, clip: 1 };
/**
 * Section 3.1's word-level network: the same single layer of 1000 cells over
 * PTB's 10,000 words, inputs looked up by code (~54M weights).
 */
export const PTB_WORDS_PAPER: TextConfig = {
  symbols: 10_000,
  cells: 1000,
  layers: 1,
  clip: 1,
  input: "lookup",
};
/** A small network for tests and smoke runs. */
export const TEXT_TINY: TextConfig = { symbols: 8, cells: 32, layers: 2, clip: 1 };

/** Parameter specs (eqs 1-3 with one-hot inputs). */
export function textSpecs(c: TextConfig): Record<string, ParamSpec> {
  return {
    ...stackSpecs(c.symbols, c.cells, c.layers, 0, 1, cellOf(c.cell)),
    ...outputSpecs(c.cells, c.layers, c.symbols),
  };
}

/** Zero state for B streams. */
export function textZeroState(c: TextConfig, B: number): StackState {
  return zeroState(B, c.cells, c.layers);
}

/**
 * Logits ŷ for every step, [T·B, K] time-major, from codes [B, T] (batch-major, as
 * `StreamBatcher` gives them).
 */
export function textForward(p: Params, c: TextConfig, codes: tf.Tensor, state: StackState) {
  const t = tf.transpose(codes).toInt(); // [T, B]
  const x = c.input === "lookup" ? { codes: t, symbols: c.symbols } : tf.oneHot(t, c.symbols).toFloat(); // [T, B, K]
  const { hs, state: next } = stackForward(p, x, state, c.clip, undefined, 1, 0, undefined, cellOf(c.cell));
  return { logits: outputLayer(p, hs), state: next };
}

/** Mean loss in bits per symbol of one segment; targets [B, T]. */
export function textLoss(p: Params, c: TextConfig, inputs: tf.Tensor, targets: tf.Tensor, state: StackState) {
  const { logits, state: next } = textForward(p, c, inputs, state);
  return { loss: bitsPerSymbol(logits, tf.reshape(tf.transpose(targets), [-1])), state: next };
}

/**
 * Generates `length` symbols after feeding `prime` (codes), one step at a time;
 * temperature 1 samples the model's distribution. Returns the generated codes.
 */
export function sampleText(
  p: Params,
  c: TextConfig,
  prime: ArrayLike<number>,
  length: number,
  rng: Rng,
  temperature = 1,
): Int32Array {
  if (prime.length === 0) throw new Error("sampleText needs at least one prime symbol");
  const zero = textZeroState(c, 1);
  let state = zero;
  const out = new Int32Array(length);
  let logits = tf.tidy(() => {
    const r = textForward(p, c, tf.tensor2d(Array.from(prime), [1, prime.length], "int32"), zero);
    state = keepState(r.state);
    return tf.slice(r.logits, [prime.length - 1, 0], [1, c.symbols]);
  });
  disposeState(zero);
  const shown = track("sampling", length, "symbols");
  for (let i = 0; i < length; i++, shown.tick()) {
    out[i] = sampleSoftmax(logits, temperature, [rng.next()])[0];
    logits.dispose();
    const old = state;
    logits = tf.tidy(() => {
      const r = textForward(p, c, tf.tensor2d([out[i]], [1, 1], "int32"), old);
      state = keepState(r.state);
      return r.logits;
    });
    disposeState(old);
  }
  shown.done();
  logits.dispose();
  disposeState(state);
  return out;
}
