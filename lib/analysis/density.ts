/**
 * The predictive distribution drawn over a real line (Figs 10 and 14): the
 * mixture parameters of every step, read back once, and the density of each
 * predicted next pen position on a grid in tablet coordinates, summed over
 * time. Also the mixture weights π over time (Fig 10, lower panel).
 * @module
 */
import * as tf from "../tf.ts";
import { splitMixture } from "../nn/mdn.ts";
import type { OffsetStats } from "../data/iamondb/offsets.ts";
import { denormalise, offsetsToStrokes } from "../data/iamondb/offsets.ts";
import type { Stroke } from "../data/iamondb/strokes.ts";
import type { Grid } from "../plots/figures.ts";

/** Mixture parameters for T steps and M components ([T, M] row-major; e is [T]). */
export interface MixtureTrace {
  T: number;
  M: number;
  pi: Float32Array;
  mu1: Float32Array;
  mu2: Float32Array;
  sigma1: Float32Array;
  sigma2: Float32Array;
  rho: Float32Array;
  /** End-of-stroke probability. */
  e: Float32Array;
}

/** Reads the mixture of ŷ [T, 1 + 6M] (eqs 18-22, with bias b) into plain arrays. */
export function mixtureTrace(yHat: tf.Tensor, bias = 0): MixtureTrace {
  return tf.tidy(() => {
    const m = splitMixture(yHat, bias);
    const read = (t: tf.Tensor) => t.dataSync() as Float32Array;
    return {
      T: yHat.shape[0]!,
      M: m.logPi.shape[1]!,
      pi: read(tf.exp(m.logPi)),
      mu1: read(m.mu1),
      mu2: read(m.mu2),
      sigma1: read(tf.exp(m.logSigma1)),
      sigma2: read(tf.exp(m.logSigma2)),
      rho: read(m.rho),
      e: read(tf.sigmoid(tf.neg(m.eHat))),
    };
  });
}

/** A density map and the line it was drawn over, both in tablet units (y up). */
export interface DensityMap {
  grid: Grid;
  strokes: Stroke[];
}

/** Which steps of a line a density map covers, and how fine its grid is. */
export interface DensityOptions {
  /** Grid columns across the covered points' extent. @default 240 */
  nx?: number;
  /** Padding on every side, × the extent's longer side. @default 0.05 */
  margin?: number;
  /** The first point drawn (a word's start, `wordSpans`); step t predicts point t + 1. @default 0 */
  from?: number;
  /** One past the last point drawn. @default all */
  to?: number;
}

/**
 * Sums, over steps t, the mixture density of the next pen position around
 * the current one, on an nx-column grid over the covered points' extent —
 * the paper's Figs 10 and 14: "the densities for successive predictions are
 * added together, giving high values where the distributions overlap".
 * @param points the line's normalised offsets [n, 3]; step t predicts point t + 1
 */
export function densityMap(
  trace: MixtureTrace,
  points: Float32Array,
  stats: OffsetStats,
  o: DensityOptions = {},
): DensityMap {
  const { nx = 240, margin = 0.05 } = o;
  const raw = denormalise(points, stats);
  const n = raw.length / 3, from = o.from ?? 0, to = Math.min(n, o.to ?? n);
  const px = new Float64Array(n), py = new Float64Array(n);
  for (let i = 0, x = 0, y = 0; i < n; i++) {
    x += raw[3 * i];
    y += raw[3 * i + 1];
    px[i] = x;
    py[i] = y;
  }
  const xs = px.subarray(from, to), ys = py.subarray(from, to);
  let x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const pad = Math.max(x1 - x0, y1 - y0) * margin; // same padding on every side
  x0 -= pad, x1 += pad, y0 -= pad, y1 += pad;
  const d = (x1 - x0) / nx, ny = Math.max(1, Math.round((y1 - y0) / d));
  const values = new Float64Array(nx * ny);
  const [sx, sy] = stats.std, [ax, ay] = stats.mean;
  // the predictions of points from+1 .. to−1, made at steps from .. to−2
  for (let t = from; t < Math.min(trace.T, to - 1); t++) {
    for (let j = 0; j < trace.M; j++) {
      const k = t * trace.M + j, pi = trace.pi[k];
      if (pi < 1e-4) continue;
      // component j in tablet units, centred on the current position
      const m1 = px[t] + trace.mu1[k] * sx + ax, m2 = py[t] + trace.mu2[k] * sy + ay;
      const s1 = trace.sigma1[k] * sx, s2 = trace.sigma2[k] * sy, r = trace.rho[k];
      const norm = pi / (2 * Math.PI * s1 * s2 * Math.sqrt(1 - r * r));
      const c0 = Math.max(0, Math.floor((m1 - 4 * s1 - x0) / d)),
        c1 = Math.min(nx - 1, Math.ceil((m1 + 4 * s1 - x0) / d));
      const r0 = Math.max(0, Math.floor((m2 - 4 * s2 - y0) / d)),
        r1 = Math.min(ny - 1, Math.ceil((m2 + 4 * s2 - y0) / d));
      for (let row = r0; row <= r1; row++) {
        const z2 = (y0 + (row + 0.5) * d - m2) / s2;
        for (let col = c0; col <= c1; col++) {
          const z1 = (x0 + (col + 0.5) * d - m1) / s1;
          const Z = z1 * z1 + z2 * z2 - 2 * r * z1 * z2; // eq 25
          values[row * nx + col] += norm * Math.exp(-Z / (2 * (1 - r * r)));
        }
      }
    }
  }
  const strokes = offsetsToStrokes(raw.subarray(3 * from, 3 * to), to - from).map((s) => ({
    x: s.x.map((v) => v + px[from] - raw[3 * from]),
    y: s.y.map((v) => v + py[from] - raw[3 * from + 1]),
  }));
  return { grid: { values: Float32Array.from(values), rows: ny, cols: nx, x0, dx: d, y0, dy: d }, strokes };
}

/**
 * The words of a line as point ranges [from, to): strokes are grouped into
 * one word while each starts less than `gap` × the line's height to the right
 * of the ink so far (a pen lift inside a word jumps back or barely forward).
 * @param points normalised offsets [n, 3]
 */
export function wordSpans(points: Float32Array, stats: OffsetStats, gap = 0.3): [number, number][] {
  const raw = denormalise(points, stats), n = raw.length / 3;
  const strokes: { from: number; to: number; x0: number; x1: number }[] = [];
  let x = 0, y = 0, yMin = Infinity, yMax = -Infinity, cur = { from: 0, to: 0, x0: Infinity, x1: -Infinity };
  for (let i = 0; i < n; i++) {
    x += raw[3 * i];
    y += raw[3 * i + 1];
    yMin = Math.min(yMin, y), yMax = Math.max(yMax, y);
    cur.x0 = Math.min(cur.x0, x), cur.x1 = Math.max(cur.x1, x), cur.to = i + 1;
    if (raw[3 * i + 2] > 0.5 || i === n - 1) {
      strokes.push(cur);
      cur = { from: i + 1, to: i + 1, x0: Infinity, x1: -Infinity };
    }
  }
  const height = yMax - yMin, words: [number, number][] = [];
  let right = -Infinity;
  for (const s of strokes) {
    if (words.length && s.x0 < right + gap * height) words[words.length - 1][1] = s.to;
    else words.push([s.from, s.to]);
    right = Math.max(right, s.x1);
  }
  return words;
}

/**
 * Mean log density (nats) of the real next pen offset under the predicted
 * mixture (eqs 23-26, pen term left out), over the predictions of points
 * from+1 .. to−1: higher means sharper predictions that hit the ink.
 * @param points normalised offsets [n, 3]: the mixture is in the same units
 */
export function meanLogDensity(
  trace: MixtureTrace,
  points: Float32Array,
  from = 0,
  to = points.length / 3,
): number {
  let sum = 0, count = 0;
  for (let t = from; t < Math.min(trace.T, to - 1); t++) {
    const x1 = points[3 * (t + 1)], x2 = points[3 * (t + 1) + 1];
    let p = 0;
    for (let j = 0; j < trace.M; j++) {
      const k = t * trace.M + j, s1 = trace.sigma1[k], s2 = trace.sigma2[k], r = trace.rho[k];
      const z1 = (x1 - trace.mu1[k]) / s1, z2 = (x2 - trace.mu2[k]) / s2;
      const Z = z1 * z1 + z2 * z2 - 2 * r * z1 * z2; // eq 25
      p += (trace.pi[k] * Math.exp(-Z / (2 * (1 - r * r)))) / (2 * Math.PI * s1 * s2 * Math.sqrt(1 - r * r));
    }
    sum += Math.log(p);
    count++;
  }
  return sum / count;
}

/** Mixture weights over steps [from, to) as a [M, to − from] grid (components as rows), for the heatmap. */
export function weightsOverTime(trace: MixtureTrace, from = 0, to = trace.T): Grid {
  const T = Math.min(trace.T, to) - from;
  const values = new Float32Array(trace.M * T);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < trace.M; j++) values[j * T + t] = trace.pi[(from + t) * trace.M + j];
  }
  return { values, rows: trace.M, cols: T, x0: from };
}
