/**
 * The mixture density output of section 4.1: M bivariate Gaussians for the
 * next pen offset and a Bernoulli for end-of-stroke, from ŷ_t of size 1 + 6M
 * (121 for M = 20), laid out [ê | π̂ (M) | μ̂₁ (M) | μ̂₂ (M) | σ̂₁ (M) | σ̂₂ (M) | ρ̂ (M)].
 *
 *   e = 1 / (1 + exp(ê))       (18)     π = softmax(π̂)   (19)
 *   μ = μ̂                      (20)     σ = exp(σ̂)       (21)
 *   ρ = tanh(ρ̂)                (22)
 *
 * with the sampling bias b of section 5.4: σ = exp(σ̂ − b), π = softmax(π̂(1 + b)).
 * The split is written once and shared by the loss and the sampler.
 * @module
 */
import * as tf from "../tf.ts";

/** Output units for M components. */
export const mdnOutputSize = (M: number): number => 1 + 6 * M;

/** |ρ| is kept below 1 − RHO_EPS so 1 − ρ² never reaches 0 in float32. */
export const RHO_EPS = 1e-5;

/** Mixture parameters, each [N, M] (eHat and logE's are [N, 1]). */
export interface Mixture {
  /** ê: end-of-stroke logit, e = σ(−ê). */
  eHat: tf.Tensor;
  /** log π (log-softmax, stable). */
  logPi: tf.Tensor;
  mu1: tf.Tensor;
  mu2: tf.Tensor;
  /** log σ (= σ̂ − b). */
  logSigma1: tf.Tensor;
  logSigma2: tf.Tensor;
  rho: tf.Tensor;
}

/**
 * Splits ŷ [N, 1 + 6M] into the mixture parameters of eqs 18-22 (with bias b, default 0;
 * `weightBias`, default b, is the bias on the mixture weights, 0 for σ-only bias).
 *
 * @example
 * ```ts
 * import * as tf from "../tf.ts";
 * import { mdnNegLogLik, splitMixture } from "./mdn.ts";
 * const mix = splitMixture(tf.zeros([4, 121])); // M = 20 components
 * const nats = mdnNegLogLik(mix, tf.tensor2d([[0.1, -0.2, 0], [0, 0, 1], [1, 1, 0], [0, 0, 0]])); // [4]
 * ```
 */
export function splitMixture(yHat: tf.Tensor, bias = 0, weightBias = bias): Mixture {
  const M = (yHat.shape[1]! - 1) / 6;
  if (!Number.isInteger(M)) throw new Error(`MDN output has ${yHat.shape[1]} units, expected 1 + 6M`);
  const [eHat, piHat, mu1, mu2, s1, s2, rhoHat] = tf.split(yHat, [1, M, M, M, M, M, M], 1);
  return {
    eHat,
    logPi: tf.logSoftmax(weightBias ? tf.mul(piHat, 1 + weightBias) : piHat), // eq 19 (bias: section 5.4)
    mu1,
    mu2,
    logSigma1: bias ? tf.sub(s1, bias) : s1, // eq 21
    logSigma2: bias ? tf.sub(s2, bias) : s2,
    rho: tf.clipByValue(tf.tanh(rhoHat), -1 + RHO_EPS, 1 - RHO_EPS), // eq 22
  };
}

/**
 * −log Pr(x_{t+1} | y_t) per point (eqs 23-26), [N], in nats:
 * −log Σ_j π_j N(x | μ_j, σ_j, ρ_j) − (log e if x₃ = 1 else log(1 − e)),
 * with the sum in log-space (log-sum-exp).
 * @param target [N, 3] (Δx, Δy, end-of-stroke)
 */
export function mdnNegLogLik(mix: Mixture, target: tf.Tensor): tf.Tensor1D {
  const [x1, x2, x3] = tf.split(target, 3, 1); // each [N, 1]
  const z1 = tf.div(tf.sub(x1, mix.mu1), tf.exp(mix.logSigma1));
  const z2 = tf.div(tf.sub(x2, mix.mu2), tf.exp(mix.logSigma2));
  const oneMinusRho2 = tf.sub(1, tf.square(mix.rho));
  // eq 25: Z = z1² + z2² − 2ρ z1 z2;  eq 24: log N = −log 2π − log σ1 − log σ2 − ½ log(1 − ρ²) − Z / 2(1 − ρ²)
  const Z = tf.sub(tf.add(tf.square(z1), tf.square(z2)), tf.mul(2, tf.mul(mix.rho, tf.mul(z1, z2))));
  const logN = tf.sub(
    tf.sub(
      tf.sub(tf.neg(tf.add(mix.logSigma1, mix.logSigma2)), Math.log(2 * Math.PI)),
      tf.mul(0.5, tf.log(oneMinusRho2)),
    ),
    tf.div(Z, tf.mul(2, oneMinusRho2)),
  );
  const logMix = tf.logSumExp(tf.add(mix.logPi, logN), 1); // [N]
  // eq 18: e = σ(−ê): log e = −softplus(ê), log(1 − e) = −softplus(−ê)
  const logBern = tf.neg(
    tf.add(tf.mul(x3, tf.softplus(mix.eHat)), tf.mul(tf.sub(1, x3), tf.softplus(tf.neg(mix.eHat)))),
  );
  return tf.neg(tf.add(logMix, tf.reshape(logBern, [-1]))) as tf.Tensor1D;
}

/** The mixture's mean offset Σ_j π_j μ_j, [N, 2] (for the sum-squared error of Table 3). */
export function mixtureMean(mix: Mixture): tf.Tensor2D {
  const pi = tf.exp(mix.logPi);
  return tf.concat(
    [tf.sum(tf.mul(pi, mix.mu1), 1, true), tf.sum(tf.mul(pi, mix.mu2), 1, true)],
    1,
  ) as tf.Tensor2D;
}

/**
 * Draws one point per row: a component j ~ π, (Δx, Δy) ~ N(μ_j, σ_j, ρ_j),
 * end-of-stroke ~ Bernoulli(e). `rand()` returns uniforms in [0, 1).
 * Returns [N, 3] as a flat Float32Array.
 */
export function sampleMixture(mix: Mixture, rand: () => number): Float32Array {
  return drawFromMixture(readMixture(mix), rand);
}

/** A mixture read back to the CPU: rows of [ê | log π | μ1 | μ2 | log σ1 | log σ2 | ρ], plus extra columns. */
export interface MixtureRows {
  all: Float32Array;
  N: number;
  M: number;
  /** Row width: 1 + 6M + extra columns. */
  W: number;
  /** The `extra` tensor's values, [N, E] row-major (e.g. φ while sampling), if any. */
  extra?: Float32Array;
}

/** Reads every mixture parameter (and `extra` [N, E], if given) in one read-back. */
export function readMixture(mix: Mixture, extra?: tf.Tensor): MixtureRows {
  const N = mix.logPi.shape[0]!, M = mix.logPi.shape[1]!, E = extra ? extra.shape[1]! : 0, W = 1 + 6 * M + E;
  const parts = [
    mix.eHat,
    mix.logPi,
    mix.mu1,
    mix.mu2,
    mix.logSigma1,
    mix.logSigma2,
    mix.rho,
    ...(extra ? [extra] : []),
  ];
  const all = tf.tidy(() => tf.concat(parts, 1).dataSync() as Float32Array);
  let ex: Float32Array | undefined;
  if (extra) {
    ex = new Float32Array(N * E);
    for (let n = 0; n < N; n++) ex.set(all.subarray(n * W + W - E, (n + 1) * W), n * E);
  }
  return { all, N, M, W, extra: ex };
}

/**
 * Eqs 18-22 with the bias b of section 5.4 on one ŷ already read back (a
 * sampling step): the `MixtureRows` of `readMixture`, computed in plain
 * JavaScript (121 numbers are not worth a tensor op each). `weightBias` is
 * the bias on the mixture weights (eq 19's π̂(1 + b)); the paper uses b for
 * both, 0 leaves π unbiased and narrows only σ (eq 21).
 */
export function mixtureRows(yHat: Float32Array, M: number, bias = 0, weightBias = bias): MixtureRows {
  const all = new Float32Array(1 + 6 * M);
  all[0] = yHat[0]; // ê
  let max = -Infinity;
  for (let j = 0; j < M; j++) max = Math.max(max, yHat[1 + j] * (1 + weightBias));
  let sum = 0;
  for (let j = 0; j < M; j++) sum += Math.exp(yHat[1 + j] * (1 + weightBias) - max);
  const logZ = max + Math.log(sum);
  for (let j = 0; j < M; j++) {
    all[1 + j] = yHat[1 + j] * (1 + weightBias) - logZ; // eq 19: log softmax(π̂(1 + b))
    all[1 + M + j] = yHat[1 + M + j]; // eq 20
    all[1 + 2 * M + j] = yHat[1 + 2 * M + j];
    all[1 + 3 * M + j] = yHat[1 + 3 * M + j] - bias; // eq 21: log σ = σ̂ − b
    all[1 + 4 * M + j] = yHat[1 + 4 * M + j] - bias;
    all[1 + 5 * M + j] = Math.min(Math.max(Math.tanh(yHat[1 + 5 * M + j]), -1 + RHO_EPS), 1 - RHO_EPS); // eq 22
  }
  return { all, N: 1, M, W: 1 + 6 * M };
}

/** The sampler of `sampleMixture` on rows already read back. */
export function drawFromMixture(r: MixtureRows, rand: () => number): Float32Array {
  const { all, N, M, W } = r;
  const out = new Float32Array(3 * N);
  for (let n = 0; n < N; n++) {
    const row = n * W;
    let u = rand(), j = 0;
    for (; j < M - 1; j++) {
      u -= Math.exp(all[row + 1 + j]);
      if (u < 0) break;
    }
    const at = (part: number) => all[row + 1 + part * M + j]; // part 1: μ1, 2: μ2, 3: log σ1, 4: log σ2, 5: ρ
    const rho = at(5);
    // Box-Muller, then correlate: x2 = ρ z1 + sqrt(1 − ρ²) z2
    const rr = Math.sqrt(-2 * Math.log(1 - rand())), th = 2 * Math.PI * rand();
    const z1 = rr * Math.cos(th), z2 = rr * Math.sin(th);
    out[3 * n] = at(1) + Math.exp(at(3)) * z1;
    out[3 * n + 1] = at(2) + Math.exp(at(4)) * (rho * z1 + Math.sqrt(1 - rho * rho) * z2);
    out[3 * n + 2] = rand() < 1 / (1 + Math.exp(all[row])) ? 1 : 0;
  }
  return out;
}
