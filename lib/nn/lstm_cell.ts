/**
 * One step of the peephole LSTM of Gers et al. as written in the paper
 * (section 2, eqs 7-11), on pre-computed input projections:
 *
 *   i_t = σ(W_xi x_t + W_hi h_{t−1} + w_ci ⊙ c_{t−1} + b_i)        (7)
 *   f_t = σ(W_xf x_t + W_hf h_{t−1} + w_cf ⊙ c_{t−1} + b_f)        (8)
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ tanh(W_xc x_t + W_hc h_{t−1} + b_c) (9)
 *   o_t = σ(W_xo x_t + W_ho h_{t−1} + w_co ⊙ c_t + b_o)            (10)
 *   h_t = o_t ⊙ tanh(c_t)                                            (11)
 *
 * Gate pre-activations are laid out [i | f | g | o], H columns each, where
 * g is the cell input tanh(·) of eq 9. The peephole weights are diagonal:
 * `peep` is [3, H] with rows (w_ci, w_cf, w_co).
 * @module
 */
import * as tf from "../tf.ts";
import { clipGradient } from "./clip_gradient.ts";

/** Post-activation gates of one step, each [B, H]. */
export interface Gates {
  i: tf.Tensor;
  f: tf.Tensor;
  g: tf.Tensor;
  o: tf.Tensor;
}

/** The diagonal peephole weights as three [1, H] rows. */
export function peepholes(peep: tf.Tensor): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.split(peep, 3, 0) as [tf.Tensor, tf.Tensor, tf.Tensor];
}

/**
 * One LSTM step. `zx` is the input part of the gate pre-activations
 * (W_x x_t + b, [B, 4H]); the recurrent part h_{t−1} W_h is added here.
 * `clip` bounds the derivatives reaching the pre-activations (autograd path).
 */
export function lstmStep(
  zx: tf.Tensor,
  hPrev: tf.Tensor,
  cPrev: tf.Tensor,
  Wh: tf.Tensor,
  peep: [tf.Tensor, tf.Tensor, tf.Tensor],
  clip = Infinity,
): { h: tf.Tensor; c: tf.Tensor; gates: Gates } {
  // [B, H] × [H, 4H] → [B, 4H]
  const [zi, zf, zg, zo] = tf.split(tf.add(zx, tf.matMul(hPrev, Wh)), 4, 1);
  const [wci, wcf, wco] = peep;
  // the derivatives reaching each gate's whole input (peephole term included) are clipped, as in the fused op
  const cl = (z: tf.Tensor) => clipGradient(z, -clip, clip);
  const i = tf.sigmoid(cl(tf.add(zi, tf.mul(wci, cPrev)))); // eq 7
  const f = tf.sigmoid(cl(tf.add(zf, tf.mul(wcf, cPrev)))); // eq 8
  const g = tf.tanh(cl(zg));
  const c = tf.add(tf.mul(f, cPrev), tf.mul(i, g)); // eq 9
  const o = tf.sigmoid(cl(tf.add(zo, tf.mul(wco, c)))); // eq 10
  const h = tf.mul(o, tf.tanh(c)); // eq 11
  return { h, c, gates: { i, f, g, o } };
}
