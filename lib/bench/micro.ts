/**
 * Micro-benchmarks of the active backend: matMul throughput (plain and with
 * transposed operands, as the gradients use it), per-op overhead of a small
 * elementwise op, and the cost of unstacking a [T, B, 4H] tensor.
 *
 * @module
 */
import * as tf from "../tf.ts";

/** One measured row. */
export interface MicroResult {
  /** What was measured, e.g. "matMul 3200×1000·1000×4000". */
  case: string;
  /** Mean milliseconds per call. */
  ms: number;
  /** Throughput for matMuls, else undefined. */
  gflops?: number;
}

/**
 * Mean milliseconds of `fn`: one warm-up call, then calls until `budgetMs` has
 * passed. A warm-up slower than the budget is itself the measurement, so the
 * stock `cpu` backend finishes in reasonable time.
 */
export function timeIt(fn: () => void, budgetMs = 400): number {
  const w0 = performance.now();
  fn();
  const warm = performance.now() - w0;
  if (warm > budgetMs) return warm;
  let n = 0;
  const t0 = performance.now();
  do {
    fn();
    n++;
  } while (performance.now() - t0 < budgetMs);
  return (performance.now() - t0) / n;
}

/** A matMul case: C[m,n] = op(A)·op(B) with inner dimension k. */
export interface MatMulCase {
  m: number;
  k: number;
  n: number;
  transA?: boolean;
  transB?: boolean;
}

/** The LSTM's matMul shapes (1000 cells, B=32, T=100) and their gradient forms. */
export const LSTM_MATMULS: readonly MatMulCase[] = [
  { m: 32, k: 1000, n: 4000 }, // recurrent step: h_{t-1} W_hh
  { m: 3200, k: 50, n: 4000 }, // input projection over all steps
  { m: 3200, k: 1000, n: 50 }, // output layer over all steps
  { m: 1000, k: 3200, n: 4000, transA: true }, // weight gradient Hᵀ·dZ
  { m: 3200, k: 4000, n: 1000, transB: true }, // input gradient dZ·Wᵀ
];

/** Measures one matMul case on the active backend. */
export function benchMatMul(c: MatMulCase, budgetMs?: number): MicroResult {
  const a = tf.randomNormal(c.transA ? [c.k, c.m] : [c.m, c.k]);
  const b = tf.randomNormal(c.transB ? [c.n, c.k] : [c.k, c.n]);
  const ms = timeIt(() =>
    tf.tidy(() => {
      tf.matMul(a, b, c.transA, c.transB).dataSync();
    }), budgetMs);
  tf.dispose([a, b]);
  const flops = 2 * c.m * c.n * c.k;
  const label = `matMul [${c.m}×${c.k}]${c.transA ? "ᵀ" : ""}·[${c.k}×${c.n}]${c.transB ? "ᵀ" : ""}`;
  return { case: label, ms, gflops: flops / (ms * 1e6) };
}

/** Per-op overhead: `ops` chained adds on a [32, 1000] tensor, ms per op. */
export function benchOpOverhead(ops = 100, budgetMs?: number): MicroResult {
  const x = tf.randomNormal([32, 1000]);
  const ms = timeIt(() =>
    tf.tidy(() => {
      let y = x;
      for (let i = 0; i < ops; i++) y = tf.add(y, 1);
      y.dataSync();
    }), budgetMs);
  x.dispose();
  return { case: `add on [32×1000], per op`, ms: ms / ops };
}

/** An elementwise op on an LSTM-sized [32, 1000] tensor: the transcendental ones dominate a step's elementwise time. */
export function benchUnary(name: "tanh" | "sigmoid" | "exp", budgetMs?: number): MicroResult {
  const x = tf.randomNormal([32, 1000]);
  const op = { tanh: tf.tanh, sigmoid: tf.sigmoid, exp: tf.exp }[name];
  const ms = timeIt(() =>
    tf.tidy(() => {
      op(x).dataSync();
    }), budgetMs);
  x.dispose();
  return { case: `${name} on [32×1000]`, ms };
}

/** Unstacking the gate pre-activations of a whole sequence, [T=100, 32, 4000]. */
export function benchUnstack(budgetMs?: number): MicroResult {
  const x = tf.randomNormal([100, 32, 4000]);
  const ms = timeIt(() =>
    tf.tidy(() => {
      tf.unstack(x).at(-1)!.dataSync();
    }), budgetMs);
  x.dispose();
  return { case: "unstack [100×32×4000]", ms };
}

/** All micro-benchmarks on the active backend. */
export function runMicro(budgetMs?: number): MicroResult[] {
  return [
    ...LSTM_MATMULS.map((c) => benchMatMul(c, budgetMs)),
    benchOpOverhead(100, budgetMs),
    benchUnary("sigmoid", budgetMs),
    benchUnary("tanh", budgetMs),
    benchUnstack(budgetMs),
  ];
}
