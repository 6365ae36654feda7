/**
 * Pen positions ↔ the network's input/target vectors (section 4): each point
 * is (Δx, Δy, e) — the offset from the previous point and an end-of-stroke
 * bit that is 1 on the last point of every stroke. The first point of a line
 * is the null vector (0, 0, 0): the network's first input (section 4.1).
 *
 * Coordinates are flipped to y-up (IAM-OnDB's tablet y grows downwards) so
 * figures draw upright. Pen-down jumps longer than `maxPenDownJump` tablet
 * units (0.001 % of steps; glitches in the tablet data) end the stroke there:
 * the jump becomes a pen-up move. Every split is counted.
 * @module
 */
import type { Stroke } from "./strokes.ts";

/** Offsets of one line: `points[3i..3i+2] = (Δx, Δy, e)`, `n` points. */
export interface Offsets {
  points: Float32Array;
  n: number;
}

/** Default longest pen-down step kept inside a stroke, in tablet units (~99.999th percentile). */
export const MAX_PEN_DOWN_JUMP = 400;

/**
 * Strokes → offsets. Returns the offsets and how many strokes were split at an
 * implausible jump.
 */
export function strokesToOffsets(
  strokes: Stroke[],
  maxPenDownJump = MAX_PEN_DOWN_JUMP,
): { offsets: Offsets; splits: number } {
  let n = 0;
  for (const s of strokes) n += s.x.length;
  const points = new Float32Array(3 * n);
  let splits = 0, i = 0;
  let px = strokes[0].x[0], py = -strokes[0].y[0];
  for (const s of strokes) {
    for (let j = 0; j < s.x.length; j++, i++) {
      const x = s.x[j], y = -s.y[j];
      const dx = x - px, dy = y - py;
      if (j > 0 && Math.hypot(dx, dy) > maxPenDownJump) {
        points[3 * (i - 1) + 2] = 1; // lift the pen before the jump
        splits++;
      }
      points[3 * i] = dx;
      points[3 * i + 1] = dy;
      px = x;
      py = y;
    }
    points[3 * (i - 1) + 2] = 1;
  }
  return { offsets: { points, n }, splits };
}

/**
 * Offsets → absolute pen positions (y-up), split into strokes at each
 * end-of-stroke bit: the inverse of `strokesToOffsets` up to a translation.
 */
export function offsetsToStrokes(points: Float32Array, n = points.length / 3): Stroke[] {
  const strokes: Stroke[] = [];
  let x = 0, y = 0;
  let cur: Stroke = { x: [], y: [] };
  for (let i = 0; i < n; i++) {
    x += points[3 * i];
    y += points[3 * i + 1];
    cur.x.push(x);
    cur.y.push(y);
    if (points[3 * i + 2] > 0.5) {
      strokes.push(cur);
      cur = { x: [], y: [] };
    }
  }
  if (cur.x.length) strokes.push(cur);
  return strokes;
}

/** Mean and standard deviation of (Δx, Δy), from the training split only. */
export interface OffsetStats {
  mean: [number, number];
  std: [number, number];
  /** Points the statistics were computed over. */
  count: number;
}

/** Statistics over every point except each line's null first point. */
export function offsetStats(lines: Iterable<Offsets>): OffsetStats {
  let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
  for (const { points, n: len } of lines) {
    for (let i = 1; i < len; i++) {
      const dx = points[3 * i], dy = points[3 * i + 1];
      sx += dx;
      sy += dy;
      sxx += dx * dx;
      syy += dy * dy;
      n++;
    }
  }
  if (n === 0) throw new Error("offsetStats: no points");
  const mx = sx / n, my = sy / n;
  return {
    mean: [mx, my],
    std: [Math.sqrt(sxx / n - mx * mx), Math.sqrt(syy / n - my * my)],
    count: n,
  };
}

/** (Δx, Δy) → ((Δx − μx)/σx, (Δy − μy)/σy), keeping the first point null. */
export function normalise(o: Offsets, s: OffsetStats): Float32Array {
  const out = o.points.slice();
  for (let i = 1; i < o.n; i++) {
    out[3 * i] = (out[3 * i] - s.mean[0]) / s.std[0];
    out[3 * i + 1] = (out[3 * i + 1] - s.mean[1]) / s.std[1];
  }
  return out;
}

/** The inverse of `normalise`; `firstIsNull: false` for sampled points that have no null first point. */
export function denormalise(points: Float32Array, s: OffsetStats, firstIsNull = true): Float32Array {
  const out = points.slice();
  for (let i = firstIsNull ? 1 : 0; i < out.length / 3; i++) {
    out[3 * i] = out[3 * i] * s.std[0] + s.mean[0];
    out[3 * i + 1] = out[3 * i + 1] * s.std[1] + s.mean[1];
  }
  return out;
}
