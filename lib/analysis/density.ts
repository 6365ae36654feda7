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

/**
 * Sums, over steps t, the mixture density of the next pen position around
 * the current one, on an nx-column grid over the line's extent (padded by
 * `margin` × its longer side).
 * @param points the line's normalised offsets [n, 3]; step t predicts point t + 1
 */
export function densityMap(
  trace: MixtureTrace,
  points: Float32Array,
  stats: OffsetStats,
  nx = 240,
  margin = 0.05,
): DensityMap {
  const raw = denormalise(points, stats);
  const n = raw.length / 3;
  const px = new Float64Array(n), py = new Float64Array(n);
  for (let i = 0, x = 0, y = 0; i < n; i++) {
    x += raw[3 * i];
    y += raw[3 * i + 1];
    px[i] = x;
    py[i] = y;
  }
  let x0 = Math.min(...px), x1 = Math.max(...px), y0 = Math.min(...py), y1 = Math.max(...py);
  const pad = Math.max(x1 - x0, y1 - y0) * margin; // same padding on every side
  x0 -= pad, x1 += pad, y0 -= pad, y1 += pad;
  const d = (x1 - x0) / nx, ny = Math.max(1, Math.round((y1 - y0) / d));
  const values = new Float64Array(nx * ny);
  const [sx, sy] = stats.std, [ax, ay] = stats.mean;
  for (let t = 0; t < Math.min(trace.T, n - 1); t++) {
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
  const strokes = offsetsToStrokes(raw, n);
  return { grid: { values: Float32Array.from(values), rows: ny, cols: nx, x0, dx: d, y0, dy: d }, strokes };
}

/** Mixture weights over time as a [M, T] grid (components as rows), for the heatmap. */
export function weightsOverTime(trace: MixtureTrace): Grid {
  const values = new Float32Array(trace.M * trace.T);
  for (let t = 0; t < trace.T; t++) {
    for (let j = 0; j < trace.M; j++) values[j * trace.T + t] = trace.pi[t * trace.M + j];
  }
  return { values, rows: trace.M, cols: trace.T };
}
