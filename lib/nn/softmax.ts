/**
 * The text networks' output: a softmax over K symbols (section 3, eq 15), its
 * loss in bits per symbol, and sampling with a temperature.
 * @module
 */
import * as tf from "../tf.ts";

/**
 * Mean negative log-likelihood in bits per symbol: −(1/N) Σ log₂ Pr(x_{t+1} | y_t).
 * @param logits [N, K] unnormalised log-probabilities ŷ
 * @param targets [N] symbol codes
 */
export function bitsPerSymbol(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const K = logits.shape[logits.shape.length - 1];
    const logp = tf.logSoftmax(logits); // eq 15 in the log domain
    const picked = tf.sum(tf.mul(logp, tf.oneHot(targets.toInt(), K)), -1);
    return tf.div(tf.neg(tf.mean(picked)), Math.LN2) as tf.Scalar;
  });
}

/** Per-symbol loss in bits, [N] (for figures of where the model is surprised). */
export function bitsPerPosition(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const K = logits.shape[logits.shape.length - 1];
    const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(targets.toInt(), K)), -1);
    return tf.div(tf.neg(picked), Math.LN2) as tf.Tensor1D;
  });
}

/**
 * Draws one symbol per row from softmax(ŷ / temperature); `uniform` gives the
 * [N] uniform variates in [0, 1) so sampling is reproducible from a seeded RNG.
 * Temperature 1 samples the model's distribution; lower is more conservative.
 */
export function sampleSoftmax(
  logits: tf.Tensor2D | tf.Tensor,
  temperature: number,
  uniform: ArrayLike<number>,
): Int32Array {
  const probs = tf.tidy(() => tf.softmax(tf.div(logits, temperature)).dataSync() as Float32Array);
  const [N, K] = logits.shape;
  const out = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    let u = uniform[n], k = 0;
    for (; k < K - 1; k++) {
      u -= probs[n * K + k];
      if (u < 0) break;
    }
    out[n] = k;
  }
  return out;
}
