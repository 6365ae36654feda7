/**
 * The gated recurrent unit of Cho et al. (2014) as a `RecurrentCell` — not in
 * the paper; the exercise of swapping the cell (`docs/extending.md`). On the
 * stack's projected inputs zx = W_x x_t + b, laid out [r | z | n]:
 *
 *   r_t = σ(zx_r + h_{t−1} W_hr)
 *   z_t = σ(zx_z + h_{t−1} W_hz)
 *   ñ_t = tanh(zx_n + (r_t ⊙ h_{t−1}) W_hn)
 *   h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ ñ_t
 *
 * No memory besides h: c is carried through unchanged. The derivatives
 * reaching each pre-activation are clipped to [−clip, clip] as the LSTM's
 * are (section 4.2). TensorFlow.js ops only (no fused kernel): autograd runs
 * the backward pass through time.
 * @module
 */
import * as tf from "../tf.ts";
import type { RecurrentCell } from "./cell.ts";
import { clipGradient } from "./clip_gradient.ts";
import { INIT_SCALE } from "./params.ts";

/** One GRU step: zx [B, 3H] (input part), h [B, H], Wh [H, 3H] → h_t [B, H]. */
export function gruStep(zx: tf.Tensor, h: tf.Tensor, Wh: tf.Tensor, clip = Infinity): tf.Tensor {
  const H = h.shape[1]!;
  const cl = (z: tf.Tensor) => clipGradient(z, -clip, clip);
  const [zr, zz, zn] = tf.split(zx, 3, 1);
  const [ar, az] = tf.split(tf.matMul(h, tf.slice(Wh, [0, 0], [H, 2 * H])), 2, 1); // [B, H] × [H, 2H]
  const r = tf.sigmoid(cl(tf.add(zr, ar)));
  const z = tf.sigmoid(cl(tf.add(zz, az)));
  const n = tf.tanh(cl(tf.add(zn, tf.matMul(tf.mul(r, h), tf.slice(Wh, [0, 2 * H], [H, H])))));
  return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), n));
}

/** The GRU cell: W_h [H, 3H] per layer, state h (c passes through). */
export const GRU_CELL: RecurrentCell = {
  name: "gru",
  gates: 3,
  biasColumns: () => [],
  recurrentSpecs: (layer, H) => ({
    [`${layer}.Wh`]: { shape: [H, 3 * H], init: "uniform", scale: INIT_SCALE },
  }),
  sequence(p, layer, zx, h0, c0, clip) {
    const Wh = p[`${layer}.Wh`];
    const steps = tf.unstack(zx); // T × [B, 3H]
    const hs: tf.Tensor[] = [];
    let h = h0;
    for (const z of steps) {
      h = gruStep(z, h, Wh, clip);
      hs.push(h);
    }
    // c passes through: a clone, so that disposing the old state never frees the new one's
    return { h: tf.stack(hs), hT: h, cT: tf.clone(c0) };
  },
};
