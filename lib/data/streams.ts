/**
 * Batching a symbol stream for truncated backpropagation through time: the
 * stream is cut into B equal parallel streams, read T steps at a time, so the
 * LSTM state of stream b after segment k is the right initial state for
 * segment k+1 (sections 3.1-3.2).
 * @module
 */

/** An encoded symbol stream: bytes or characters in 8 bits, words in 16. */
export type Codes = Uint8Array | Uint16Array;

/** One segment: inputs and next-symbol targets, both [B, T] row-major. */
export interface Segment {
  inputs: Int32Array;
  targets: Int32Array;
  /** Index of the segment in the epoch (0-based). */
  index: number;
}

/**
 * Parallel streams over `codes`.
 *
 * @example
 * ```ts
 * import { StreamBatcher } from "./streams.ts";
 * const s = new StreamBatcher(Uint8Array.from({ length: 1000 }, (_, i) => i % 7), 4, 50);
 * for (const seg of s.epoch()) console.log(seg.index, seg.inputs.length); // 4 segments of [4, 50]
 * ```
 */
export class StreamBatcher {
  /** Symbols per stream (the last symbol of each is only a target). */
  readonly streamLength: number;
  /** Segments per epoch. */
  readonly segments: number;
  /** Symbols dropped at the end so streams are equal (fewer than B). */
  readonly dropped: number;

  /**
   * @param codes the encoded stream
   * @param batch B, the number of parallel streams
   * @param steps T, the segment length
   */
  constructor(readonly codes: ArrayLike<number>, readonly batch: number, readonly steps: number) {
    this.streamLength = Math.floor(codes.length / batch);
    this.dropped = codes.length - this.streamLength * batch;
    this.segments = Math.floor((this.streamLength - 1) / steps);
    if (this.segments < 1) {
      throw new Error(
        `stream of ${codes.length} symbols is too short for B=${batch} streams of T=${steps} steps`,
      );
    }
  }

  /** Segment `k` (0 ≤ k < segments). */
  segment(k: number): Segment {
    const { batch: B, steps: T, streamLength: L } = this;
    if (k < 0 || k >= this.segments) throw new RangeError(`segment ${k} of ${this.segments}`);
    const inputs = new Int32Array(B * T), targets = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const start = b * L + k * T;
      for (let t = 0; t < T; t++) {
        inputs[b * T + t] = this.codes[start + t];
        targets[b * T + t] = this.codes[start + t + 1];
      }
    }
    return { inputs, targets, index: k };
  }

  /** All segments of one epoch, in order. */
  *epoch(from = 0): Generator<Segment> {
    for (let k = from; k < this.segments; k++) yield this.segment(k);
  }
}
