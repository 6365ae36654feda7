/**
 * Batching handwriting lines for training: each epoch shuffles the lines
 * (seeded, so a resumed run sees the same order), groups B lines, pads them to
 * a common length with a mask, and cuts them into T-step segments for
 * truncated backpropagation (the state is carried between a batch's segments
 * and reset at the next batch). Inputs are points 0..n−2 (point 0 is the null
 * vector), targets points 1..n−1.
 * @module
 */
import { Rng } from "../train/rng.ts";

/** A line ready for training: normalised offsets and, for synthesis, text classes. */
export interface TrainingLine {
  points: Float32Array;
  n: number;
  codes?: Int32Array;
}

/** One segment of one batch, time-major. */
export interface LineSegment {
  /** [T, B, 3] inputs. */
  x: Float32Array;
  /** [T, B, 3] targets. */
  target: Float32Array;
  /** [T, B], 1 where a real target exists. */
  mask: Float32Array;
  /** [B, U] text classes padded with −1 (synthesis only). */
  codes?: Int32Array;
  U: number;
  /** True for the first segment of a batch: reset the recurrent state. */
  first: boolean;
  /** Real target points in this segment. */
  points: number;
  T: number;
  B: number;
}

/** Seeded batches of lines cut into segments. */
export class LineBatcher {
  readonly batches: number;
  constructor(
    readonly lines: TrainingLine[],
    readonly batch: number,
    readonly steps: number,
    readonly seed = 1,
  ) {
    this.batches = Math.floor(lines.length / batch);
    if (this.batches < 1) throw new Error(`${lines.length} lines are fewer than one batch of ${batch}`);
  }

  /** The line indices of batch `b` in epoch `epoch`. */
  members(epoch: number, b: number): number[] {
    const order = this.lines.map((_, i) => i);
    const rng = new Rng(this.seed * 1_000_003 + epoch);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.nextUint32() % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order.slice(b * this.batch, (b + 1) * this.batch);
  }

  /** Number of T-step segments of batch `b` in `epoch`. */
  segmentsOf(epoch: number, b: number): number {
    const L = Math.max(...this.members(epoch, b).map((i) => this.lines[i].n - 1));
    return Math.ceil(L / this.steps);
  }

  /** Segment `s` of batch `b` in `epoch`. */
  segment(epoch: number, b: number, s: number): LineSegment {
    return linesSegment(this.members(epoch, b).map((i) => this.lines[i]), this.steps, s);
  }
}

/** Segment `s` (T steps) of the given lines, padded and masked. */
export function linesSegment(lines: TrainingLine[], T: number, s: number): LineSegment {
  const B = lines.length;
  const x = new Float32Array(T * B * 3), target = new Float32Array(T * B * 3), mask = new Float32Array(T * B);
  let points = 0;
  for (let b = 0; b < B; b++) {
    const l = lines[b];
    for (let t = 0; t < T; t++) {
      const i = s * T + t; // input point i, target point i + 1
      if (i + 1 >= l.n) break;
      x.set(l.points.subarray(3 * i, 3 * i + 3), (t * B + b) * 3);
      target.set(l.points.subarray(3 * (i + 1), 3 * (i + 2)), (t * B + b) * 3);
      mask[t * B + b] = 1;
      points++;
    }
  }
  let codes: Int32Array | undefined, U = 0;
  if (lines.every((l) => l.codes)) {
    U = Math.max(...lines.map((l) => l.codes!.length));
    codes = new Int32Array(B * U).fill(-1);
    lines.forEach((l, b) => codes!.set(l.codes!, b * U));
  }
  return { x, target, mask, codes, U, first: s === 0, points, T, B };
}
