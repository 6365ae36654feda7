/**
 * Identity in the forward pass, derivative clipped to [lo, hi] in the backward
 * pass: the paper clips the derivatives of the loss with respect to the
 * network outputs to [−100, 100] for handwriting (section 4.2).
 * @module
 */
import * as tf from "../tf.ts";

/** `x` unchanged; ∂L/∂x clipped to [lo, hi] on the way back. */
export function clipGradient(x: tf.Tensor, lo: number, hi: number): tf.Tensor {
  if (lo === -Infinity && hi === Infinity) return x;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const v = args[0] as tf.Tensor;
    return { value: tf.clone(v), gradFunc: (dy: tf.Tensor) => [tf.clipByValue(dy, lo, hi)] };
  });
  return op(x);
}
