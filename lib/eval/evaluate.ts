/**
 * Evaluation in the paper's units: bits per character for text (static, and
 * dynamic — the model keeps training on the test stream as it is scored,
 * section 3.1), nats per sequence and sum-squared error per point for
 * handwriting (Table 3).
 * @module
 */
import * as tf from "../tf.ts";
import { type Params, variablesOf } from "../nn/params.ts";
import { type Codes, StreamBatcher } from "../data/streams.ts";
import { type TextConfig, textForward, textZeroState } from "../models/text.ts";
import { bitsPerPosition } from "../nn/softmax.ts";
import type { Optimizer } from "../train/optimizers.ts";
import { TextStreamTask } from "../train/tasks.ts";
import { trainStep } from "../train/step.ts";
import { type LineSegment, linesSegment, type TrainingLine } from "../data/lines.ts";
import { type HandwritingConfig, handwritingForward, handwritingZeroState } from "../models/handwriting.ts";
import { mdnNegLogLik, mixtureMean, splitMixture } from "../nn/mdn.ts";
import {
  oneHotText,
  type SynthesisConfig,
  synthesisForward,
  type SynthesisState,
  synthesisZeroState,
} from "../models/synthesis.ts";
import { keepState, type StackState } from "../models/stack.ts";
import { track } from "../util/track.ts";

/** Bits per symbol of a whole stream, state carried across B parallel streams of T-step segments. */
export function evaluateText(p: Params, c: TextConfig, codes: Codes, B = 32, T = 100): number {
  return scoreText(p, c, codes, B, T).bpc;
}

/**
 * Bits per symbol and next-symbol error rate (arg-max prediction wrong) of a
 * stream, and the bits per symbol of each of its B parallel streams (each
 * starts from a zero state: one stream that goes wrong shows up here).
 */
export function scoreText(
  p: Params,
  c: TextConfig,
  codes: Codes,
  B = 32,
  T = 100,
): { bpc: number; error: number; symbols: number; streams: number[] } {
  const data = new StreamBatcher(codes, B, T);
  let state = textZeroState(c, B), wrong = 0;
  const bits = new Float64Array(B);
  const shown = track("scoring", data.segments, `segments of ${B} × ${T}`);
  for (const s of data.epoch()) {
    shown.tick();
    const old = state;
    const [perStream, w] = tf.tidy(() => {
      const r = textForward(p, c, tf.tensor2d(s.inputs, [B, T], "int32"), old);
      state = keepState(r.state);
      const y = tf.reshape(tf.transpose(tf.tensor2d(s.targets, [B, T], "int32")), [-1]);
      const miss = tf.sum(tf.cast(tf.notEqual(tf.argMax(r.logits, 1), y), "float32"));
      const bits = tf.reshape(bitsPerPosition(r.logits, y), [T, B]); // time-major
      return [tf.sum(bits, 0).dataSync() as Float32Array, miss.dataSync()[0]];
    });
    perStream.forEach((v, b) => bits[b] += v);
    wrong += w;
    tf.dispose([...old.h, ...old.c]);
  }
  shown.done();
  tf.dispose([...state.h, ...state.c]);
  const perStream = data.segments * T, symbols = perStream * B;
  const streams = Array.from(bits, (b) => b / perStream);
  return { bpc: streams.reduce((a, b) => a + b, 0) / B, error: wrong / symbols, symbols, streams };
}

/**
 * Dynamic evaluation (section 3.1): score each test segment with the current
 * weights, then take one optimiser step on it. Works on copies: `p` is unchanged.
 */
export function dynamicEvaluateText(
  p: Params,
  c: TextConfig,
  codes: Codes,
  opt: Optimizer,
  B = 32,
  T = 100,
): number {
  const vars = variablesOf(p, true);
  const task = new TextStreamTask(c, new StreamBatcher(codes, B, T));
  let bits = 0;
  const n = task.data.segments;
  const shown = track("dynamic evaluation", n, `segments of ${B} × ${T}`);
  for (let i = 0; i < n; i++, shown.tick()) {
    const r = trainStep(vars, (q) => task.loss(q), opt, undefined, task.objectiveScale);
    task.advance(r.skipped);
    bits += r.loss;
  }
  shown.done();
  tf.dispose([...Object.values(vars), ...Object.values(opt.slots()), ...Object.values(task.stateTensors())]);
  return bits / n;
}

/** Handwriting scores over whole lines (Table 3's units). */
export interface LineScores {
  /** −log Pr summed over each line, averaged over lines (nats per sequence). */
  natsPerSequence: number;
  /** Mean over points of ‖E[Δ] − Δ‖² for (Δx, Δy) (normalised units). */
  ssePerPoint: number;
  lines: number;
  points: number;
}

/** How a handwriting model steps through a batch of lines, for `scoreLines`. */
export interface LineStepper<S> {
  /** Initial state for a group of lines. */
  init(group: TrainingLine[], seg: LineSegment): S;
  /** ŷ [T·B, 1 + 6M] and the next state (kept) for inputs x [T, B, 3]. */
  forward(x: tf.Tensor, state: S, seg: LineSegment): { yHat: tf.Tensor; state: S };
  dispose(state: S): void;
}

/** Scores whole lines in batches of B, segments of T, with any handwriting model. */
export function scoreLines<S>(lines: TrainingLine[], stepper: LineStepper<S>, B = 32, T = 100): LineScores {
  let nats = 0, sse = 0, points = 0;
  const shown = track("scoring", lines.length, "lines");
  for (let i = 0; i < lines.length; i += B, shown.tick(B)) {
    const group = lines.slice(i, i + B);
    const segs = Math.ceil(Math.max(...group.map((l) => l.n - 1)) / T);
    let state: S | undefined;
    for (let s = 0; s < segs; s++) {
      const seg = linesSegment(group, T, s);
      state ??= stepper.init(group, seg);
      const old = state;
      const [a, b] = tf.tidy(() => {
        const r = stepper.forward(tf.tensor3d(seg.x, [T, seg.B, 3]), old, seg);
        state = r.state;
        const mix = splitMixture(r.yHat);
        const target = tf.reshape(tf.tensor3d(seg.target, [T, seg.B, 3]), [T * seg.B, 3]);
        const mask = tf.tensor1d(seg.mask);
        const nll = tf.sum(tf.mul(mdnNegLogLik(mix, target), mask));
        const err = tf.sum(
          tf.mul(tf.sum(tf.square(tf.sub(mixtureMean(mix), tf.slice(target, [0, 0], [-1, 2]))), 1), mask),
        );
        return [nll.dataSync()[0], err.dataSync()[0]];
      });
      stepper.dispose(old);
      nats += a;
      sse += b;
      points += seg.points;
    }
    if (state) stepper.dispose(state);
  }
  shown.done();
  return { natsPerSequence: nats / lines.length, ssePerPoint: sse / points, lines: lines.length, points };
}

/** Scores handwriting prediction on `lines` (Table 3's units). */
export function evaluateHandwriting(
  p: Params,
  c: HandwritingConfig,
  lines: TrainingLine[],
  B = 32,
  T = 100,
): LineScores {
  return scoreLines<StackState>(
    lines,
    {
      init: (g) => handwritingZeroState(c, g.length),
      forward: (x, state) => {
        const r = handwritingForward(p, c, x, state);
        return { yHat: r.yHat, state: keepState(r.state) };
      },
      dispose: (s) => tf.dispose([...s.h, ...s.c]),
    },
    B,
    T,
  );
}

/** Scores synthesis on `lines` with their text (Table 4's units). */
export function evaluateSynthesis(
  p: Params,
  c: SynthesisConfig,
  lines: TrainingLine[],
  B = 32,
  T = 100,
): LineScores {
  let chars: tf.Tensor | undefined;
  const res = scoreLines<SynthesisState>(
    lines,
    {
      init: (g, seg) => {
        chars?.dispose();
        chars = oneHotText(seg.codes!, g.length, seg.U, c.charClasses);
        return synthesisZeroState(c, g.length);
      },
      forward: (x, state) => {
        const r = synthesisForward(p, c, x, chars!, state);
        return {
          yHat: r.yHat,
          state: { stack: keepState(r.state.stack), kappa: tf.keep(r.state.kappa), w: tf.keep(r.state.w) },
        };
      },
      dispose: (s) => tf.dispose([...s.stack.h, ...s.stack.c, s.kappa, s.w]),
    },
    B,
    T,
  );
  chars?.dispose();
  return res;
}

/** Bits for each next symbol along one stretch of text (B = 1): entry i is −log₂ Pr(codes[i+1] | codes[..i]). */
export function textSurprise(p: Params, c: TextConfig, codes: ArrayLike<number>): Float32Array {
  const n = codes.length - 1;
  const state = textZeroState(c, 1);
  const bits = tf.tidy(() => {
    const x = tf.tensor2d(Int32Array.from({ length: n }, (_, i) => codes[i]), [1, n], "int32");
    const y = tf.tensor1d(Int32Array.from({ length: n }, (_, i) => codes[i + 1]), "int32");
    const r = textForward(p, c, x, state);
    tf.dispose([...r.state.h, ...r.state.c]);
    return bitsPerPosition(r.logits, y).dataSync() as Float32Array;
  });
  tf.dispose([...state.h, ...state.c]);
  return bits;
}
