/**
 * The soft window of section 5.1 (eqs 46-51): K Gaussian functions over the
 * character positions u = 1..U, parameterised from the first hidden layer.
 *
 *   (α̂, β̂, κ̂) = W h¹_t + b          (48)
 *   α = exp(α̂), β = exp(β̂)           (49-50)
 *   κ_t = κ_{t−1} + exp(κ̂)            (51)
 *   φ(t, u) = Σ_k α_k exp(−β_k (κ_k − u)²)   (46)
 *   w_t = Σ_u φ(t, u) c_u              (47)
 * @module
 */
import * as tf from "../tf.ts";

/** One window step's outputs. */
export interface WindowStep {
  /** κ_t, [B, K] (carried to the next step). */
  kappa: tf.Tensor;
  /** φ(t, u) for u = 1..U, [B, U]. */
  phi: tf.Tensor;
  /** w_t, [B, V] (V = one-hot size). */
  w: tf.Tensor;
}

/** The character positions u = 1..U as a [1, 1, U] tensor (make once per sequence, reuse every step). */
export function charPositions(U: number): tf.Tensor {
  return tf.reshape(tf.range(1, U + 1), [1, 1, U]);
}

/**
 * φ(t, u) for u = 1..U (eq 46), [B, U]. Positions are 1-based as in the paper;
 * `mask` [B, U] zeroes the padding beyond each line's text.
 */
export function windowWeights(
  alpha: tf.Tensor,
  beta: tf.Tensor,
  kappa: tf.Tensor,
  U: number | tf.Tensor,
): tf.Tensor {
  const u = typeof U === "number" ? charPositions(U) : U; // [1, 1, U]
  const d = tf.sub(tf.expandDims(kappa, 2), u); // [B, K, U]
  return tf.sum(
    tf.mul(tf.expandDims(alpha, 2), tf.exp(tf.neg(tf.mul(tf.expandDims(beta, 2), tf.square(d))))),
    1,
  );
}

/**
 * One step of the window from the first layer's output.
 * @param p (α̂, β̂, κ̂) = W h¹_t + b, [B, 3K]
 * @param kappaPrev κ_{t−1}, [B, K]
 * @param chars one-hot text c, [B, U, V] (zero rows for padding)
 */
export function windowStep(
  p: tf.Tensor,
  kappaPrev: tf.Tensor,
  chars: tf.Tensor,
  positions?: tf.Tensor,
): WindowStep {
  const [alpha, beta, dKappa] = tf.split(tf.exp(p), 3, 1); // eqs 49-51: α = exp(α̂), β = exp(β̂), exp(κ̂)
  const kappa = tf.add(kappaPrev, dKappa); // eq 51
  const phi = windowWeights(alpha, beta, kappa, positions ?? chars.shape[1]!); // eq 46
  const w = tf.squeeze(tf.matMul(tf.expandDims(phi, 1), chars), [1]); // eq 47: [B, 1, U] × [B, U, V] → [B, V]
  return { kappa, phi, w };
}

/**
 * The paper's stopping rule for sampling (section 5.3): stop when φ(t, U+1) >
 * φ(t, u) for all 1 ≤ u ≤ U, i.e. the window has moved past the last character.
 * `alpha`, `beta`, `kappa` are one sequence's [1, K] parameters.
 */
export function windowPastEnd(alpha: tf.Tensor, beta: tf.Tensor, kappa: tf.Tensor, U: number): boolean {
  return pastEnd(tf.tidy(() => windowWeights(alpha, beta, kappa, U + 1).dataSync()), U);
}

/** The stopping rule on φ(t, 1..U+1) already computed: φ(t, U+1) > φ(t, u) for all u ≤ U. */
export function pastEnd(phi: ArrayLike<number>, U: number): boolean {
  const last = phi[U];
  for (let u = 0; u < U; u++) if (phi[u] >= last) return false;
  return true;
}
