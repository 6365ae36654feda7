/**
 * The text networks' output: a softmax over K symbols (section 3, eq 15), its
 * loss in bits per symbol, and sampling with a temperature.
 * @module
 */
import * as tf from "../tf.ts";
import { hasNativeKernel, SOFTMAX_XENT } from "../backend/native.ts";
import { checkedCodes } from "./lookup.ts";

/**
 * −ln Pr(x_{t+1} | y_t) per row, [N] nats, from logits ŷ [N, K] and targets [N]
 * (eq 15 in the log domain). Where the backend has the fused kernel
 * (`lib/backend/native/train.c`), one pass over ŷ gives the loss and, when
 * `differentiable`, its gradient softmax(ŷ) − one-hot for the backward pass;
 * elsewhere tfjs's logSoftmax and a one-hot product (the same values).
 */
function natsPerRow(logits: tf.Tensor, targets: tf.Tensor, differentiable: boolean): tf.Tensor1D {
  const K = logits.shape[logits.shape.length - 1];
  if (!hasNativeKernel(SOFTMAX_XENT)) {
    return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(targets.toInt(), K)), -1)) as tf.Tensor1D;
  }
  const t = checkedCodes(targets, K, "outputs");
  const y = tf.reshape(logits, [-1, K]);
  if (!differentiable) {
    return (tf.engine().runKernel(SOFTMAX_XENT, { logits: y, targets: t }, {}) as tf.Tensor1D[])[0];
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [y, t] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    const [loss, grad] = tf.engine().runKernel(SOFTMAX_XENT, { logits: y, targets: t }, {
      grad: true,
    }) as tf.Tensor[];
    save([grad]);
    return {
      value: loss,
      // ∂L/∂ŷ_nk = ∂L/∂loss_n · (softmax(ŷ_n)_k − [k = k_n])
      gradFunc: (
        dy: tf.Tensor,
        saved: tf.Tensor[],
      ) => [tf.mul(saved[0], tf.expandDims(dy, 1)), tf.zerosLike(t)],
    };
  });
  return op(y, t) as tf.Tensor1D;
}

/**
 * Mean negative log-likelihood in bits per symbol: −(1/N) Σ log₂ Pr(x_{t+1} | y_t).
 * @param logits [N, K] unnormalised log-probabilities ŷ
 * @param targets [N] symbol codes
 */
export function bitsPerSymbol(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(tf.mean(natsPerRow(logits, targets, true)), Math.LN2) as tf.Scalar);
}

/** Per-symbol loss in bits, [N] (for figures of where the model is surprised); not differentiable. */
export function bitsPerPosition(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.div(natsPerRow(logits, targets, false), Math.LN2) as tf.Tensor1D);
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
