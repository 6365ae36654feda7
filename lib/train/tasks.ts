/**
 * Training tasks: what the loop asks for each step — the loss of the current
 * batch, then advancing the data position and the carried recurrent state.
 * Positions and states are checkpointed, so a resumed run continues exactly.
 * @module
 */
import * as tf from "../tf.ts";
import type { Params } from "../nn/params.ts";
import type { StreamBatcher } from "../data/streams.ts";
import type { LineBatcher, LineSegment } from "../data/lines.ts";
import { type TextConfig, textLoss, textZeroState } from "../models/text.ts";
import { type HandwritingConfig, handwritingLoss, handwritingZeroState } from "../models/handwriting.ts";
import {
  oneHotText,
  type SynthesisConfig,
  synthesisLoss,
  type SynthesisState,
  synthesisZeroState,
} from "../models/synthesis.ts";
import { keepState, type StackState } from "../models/stack.ts";

/** What the training loop needs from a task. */
export interface Task {
  /** Loss of the current batch; keeps the recurrent state it ends in as pending. */
  loss(p: Params): tf.Scalar;
  /** Commits the pending state (or resets it after a skipped step) and moves on. */
  advance(skipped: boolean): void;
  /** Symbols (characters or pen points) in the current batch. */
  symbols(): number;
  /** Data position, for checkpoints. */
  position(): Record<string, number>;
  /** Carried state, for checkpoints. */
  stateTensors(): Record<string, tf.Tensor>;
  /** Restores position and state saved from a task of the same shape. */
  restore(pos: Record<string, number>, state: Record<string, tf.Tensor>): void;
  /** Epochs done, fractional. */
  epochs(): number;
  /**
   * Factor from the reported loss to the objective the optimiser minimises.
   * The paper's objective is −log Pr summed over each sequence in nats; text
   * losses are reported as mean bits per character, so text tasks use T·ln 2.
   */
  readonly objectiveScale: number;
}

type Flat = { h: tf.Tensor[]; c: tf.Tensor[] };
const flatten = (s: Flat, extra: Record<string, tf.Tensor> = {}) => ({
  ...Object.fromEntries(s.h.map((t, i) => [`h${i}`, t])),
  ...Object.fromEntries(s.c.map((t, i) => [`c${i}`, t])),
  ...extra,
});
const unflatten = (r: Record<string, tf.Tensor>, layers: number): Flat => ({
  h: Array.from({ length: layers }, (_, i) => r[`h${i}`].clone()),
  c: Array.from({ length: layers }, (_, i) => r[`c${i}`].clone()),
});

/**
 * Truncated BPTT over a symbol stream with the state carried between
 * segments, reset every `resetEvery` segments (the paper resets every 100
 * sequences on Wikipedia; 0 never resets within an epoch).
 */
export class TextStreamTask implements Task {
  /** Mean bits per character × T·ln 2 = nats per T-character sequence (the paper's objective). */
  readonly objectiveScale: number;
  private state: StackState;
  private pending?: StackState;
  private epoch = 0;
  private seg = 0;

  constructor(readonly cfg: TextConfig, readonly data: StreamBatcher, readonly resetEvery = 0) {
    this.state = textZeroState(cfg, data.batch);
    this.objectiveScale = data.steps * Math.LN2;
  }

  loss(p: Params): tf.Scalar {
    const s = this.data.segment(this.seg);
    const B = this.data.batch, T = this.data.steps;
    const r = textLoss(
      p,
      this.cfg,
      tf.tensor2d(s.inputs, [B, T], "int32"),
      tf.tensor2d(s.targets, [B, T], "int32"),
      this.state,
    );
    this.pending = keepState(r.state);
    return r.loss;
  }

  advance(skipped: boolean): void {
    tf.dispose([...this.state.h, ...this.state.c]);
    this.state = this.pending!;
    this.pending = undefined;
    this.seg++;
    const reset = skipped || this.seg >= this.data.segments ||
      (this.resetEvery > 0 && this.seg % this.resetEvery === 0);
    if (this.seg >= this.data.segments) {
      this.seg = 0;
      this.epoch++;
    }
    if (reset) {
      tf.dispose([...this.state.h, ...this.state.c]);
      this.state = textZeroState(this.cfg, this.data.batch);
    }
  }

  symbols(): number {
    return this.data.batch * this.data.steps;
  }
  position() {
    return { epoch: this.epoch, segment: this.seg };
  }
  stateTensors() {
    return flatten(this.state);
  }
  restore(pos: Record<string, number>, st: Record<string, tf.Tensor>): void {
    this.epoch = pos.epoch;
    this.seg = pos.segment;
    tf.dispose([...this.state.h, ...this.state.c]);
    // A checkpoint without state (e.g. a shipped one) restarts the streams from zero state.
    this.state = Object.keys(st).length
      ? unflatten(st, this.cfg.layers)
      : textZeroState(this.cfg, this.data.batch);
  }
  epochs(): number {
    return this.epoch + this.seg / this.data.segments;
  }
}

/** Shared batch/segment bookkeeping for handwriting lines. */
abstract class LinesTask<S> implements Task {
  /** Line losses are already nats per sequence (summed over points, averaged over lines). */
  readonly objectiveScale = 1;
  protected state?: S;
  protected pending?: S;
  protected epoch = 0;
  protected batch = 0;
  protected seg = 0;
  protected current?: LineSegment;

  constructor(readonly data: LineBatcher) {}
  protected abstract zero(): S;
  protected abstract dispose(s: S): void;
  protected abstract keep(s: S): S;
  protected abstract segmentLoss(p: Params, s: LineSegment, state: S): { loss: tf.Scalar; state: S };
  abstract stateTensors(): Record<string, tf.Tensor>;
  protected abstract fromTensors(t: Record<string, tf.Tensor>): S;

  protected segment(): LineSegment {
    return this.current ??= this.data.segment(this.epoch, this.batch, this.seg);
  }

  loss(p: Params): tf.Scalar {
    const s = this.segment();
    if (s.first || !this.state) {
      if (this.state) this.dispose(this.state);
      this.state = this.zero(); // created inside the step's tidy; only `pending` outlives it
    }
    const r = this.segmentLoss(p, s, this.state);
    this.pending = this.keep(r.state);
    return r.loss;
  }

  advance(skipped: boolean): void {
    if (this.state) this.dispose(this.state);
    this.state = this.pending;
    this.pending = undefined;
    this.current = undefined;
    this.seg++;
    if (skipped || this.seg >= this.data.segmentsOf(this.epoch, this.batch)) {
      this.seg = 0;
      this.batch++;
      if (this.batch >= this.data.batches) {
        this.batch = 0;
        this.epoch++;
      }
      if (this.state) this.dispose(this.state);
      this.state = undefined;
    }
  }

  symbols(): number {
    return this.segment().points;
  }
  position() {
    return { epoch: this.epoch, batch: this.batch, segment: this.seg };
  }
  restore(pos: Record<string, number>, st: Record<string, tf.Tensor>): void {
    this.epoch = pos.epoch;
    this.batch = pos.batch;
    this.seg = pos.segment;
    this.current = undefined;
    if (this.state) this.dispose(this.state);
    this.state = Object.keys(st).length ? this.fromTensors(st) : undefined;
  }
  epochs(): number {
    return this.epoch + this.batch / this.data.batches;
  }
}

const segTensors = (s: LineSegment) => ({
  x: tf.tensor3d(s.x, [s.T, s.B, 3]),
  target: tf.tensor3d(s.target, [s.T, s.B, 3]),
  mask: tf.tensor2d(s.mask, [s.T, s.B]),
});

/** Handwriting prediction (section 4) on batches of lines. */
export class HandwritingTask extends LinesTask<StackState> {
  constructor(readonly cfg: HandwritingConfig, data: LineBatcher) {
    super(data);
  }
  protected zero() {
    return handwritingZeroState(this.cfg, this.data.batch);
  }
  protected dispose(s: StackState) {
    tf.dispose([...s.h, ...s.c]);
  }
  protected keep(s: StackState) {
    return keepState(s);
  }
  protected segmentLoss(p: Params, s: LineSegment, state: StackState) {
    const t = segTensors(s);
    return handwritingLoss(p, this.cfg, t.x, t.target, t.mask, state);
  }
  stateTensors() {
    return this.state ? flatten(this.state) : {};
  }
  protected fromTensors(t: Record<string, tf.Tensor>) {
    return unflatten(t, this.cfg.layers);
  }
}

/** Handwriting synthesis (section 5) on batches of lines with their text. */
export class SynthesisTask extends LinesTask<SynthesisState> {
  constructor(readonly cfg: SynthesisConfig, data: LineBatcher) {
    super(data);
  }
  protected zero() {
    return synthesisZeroState(this.cfg, this.data.batch);
  }
  protected dispose(s: SynthesisState) {
    tf.dispose([...s.stack.h, ...s.stack.c, s.kappa, s.w]);
  }
  protected keep(s: SynthesisState) {
    return {
      stack: keepState(s.stack),
      kappa: tf.keep(s.kappa),
      w: tf.keep(s.w),
    };
  }
  protected segmentLoss(p: Params, s: LineSegment, state: SynthesisState) {
    const t = segTensors(s);
    const chars = oneHotText(s.codes!, s.B, s.U, this.cfg.charClasses); // freed by the step's tidy
    return synthesisLoss(p, this.cfg, t.x, t.target, t.mask, chars, state);
  }
  stateTensors() {
    return this.state ? flatten(this.state.stack, { kappa: this.state.kappa, w: this.state.w }) : {};
  }
  protected fromTensors(t: Record<string, tf.Tensor>) {
    return { stack: unflatten(t, this.cfg.layers), kappa: t.kappa.clone(), w: t.w.clone() };
  }
}
