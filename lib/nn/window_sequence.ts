/**
 * The synthesis network's first layer and soft window (section 5.1, eqs
 * 46-51) over a whole sequence as one differentiable op, for backends with
 * the native kernels (`lib/backend/native.ts`, `native/window.c`): one call
 * forward and one backward instead of ~100 small ops per pen step. The same
 * maths as the step-by-step loop of `synthesisForward` (`lstmStepOp` then
 * `windowStep`), which other backends run; tests pin one to the other.
 * @module
 */
import * as tf from "../tf.ts";
import { hasNativeKernel, WINDOW_BACKWARD, WINDOW_FORWARD } from "../backend/native.ts";

/** True when the active backend runs `windowSequence`. */
export const hasWindowKernel = (): boolean => hasNativeKernel(WINDOW_FORWARD);

/** Result of `windowSequence`. */
export interface WindowSequenceOutput {
  /** h¹_1..h¹_T, [T, B, H] (differentiable). */
  h: tf.Tensor;
  /** w_1..w_T, [T, B, V] (differentiable). */
  w: tf.Tensor;
  /** φ(t, u), [T, B, U] (for plots and the stopping rule; not differentiable). */
  phi: tf.Tensor;
  /** c¹_T and κ_T, [B, H] and [B, K]: carried into the next segment (not differentiable). */
  cT: tf.Tensor;
  kappaT: tf.Tensor;
}

/**
 * Layer 1 of the synthesis network and its window over T steps.
 *
 * @param zx pen part of layer 1's pre-activations, [T, B, 4H] (x_t W_x + b)
 * @param Ww window-to-layer-1 weights [V, 4H]; Wh [H, 4H]; peep [3, H]
 * @param Wp window-layer weights [H, 3K]; bp its bias [3K] (eq 48)
 * @param chars one-hot text [B, U, V]
 * @param h0 [B, H], c0 [B, H], kappa0 [B, K], w0 [B, V]: the state after the previous segment
 * @param clip bound on layer 1's pre-activation derivatives (section 4.2)
 */
export function windowSequence(
  zx: tf.Tensor,
  Ww: tf.Tensor,
  Wh: tf.Tensor,
  peep: tf.Tensor,
  Wp: tf.Tensor,
  bp: tf.Tensor,
  chars: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
  kappa0: tf.Tensor,
  w0: tf.Tensor,
  clip: number,
): WindowSequenceOutput {
  const B = zx.shape[1]!, H = Wh.shape[0], V = Ww.shape[0], K = Wp.shape[1]! / 3;
  let side: tf.Tensor[] = [];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [zxA, WwA, WhA, peepA, WpA, bpA, charsA, h0A, c0A, k0A, w0A] = args as tf.Tensor[];
    const save = args[11] as tf.GradSaveFunc;
    const inputs = {
      zx: zxA,
      Ww: WwA,
      Wh: WhA,
      peep: peepA,
      Wp: WpA,
      bp: bpA,
      chars: charsA,
      h0: h0A,
      c0: c0A,
    };
    const [Hs, C, A, Ws, Phi, Kap, E] = tf.engine().runKernel(
      WINDOW_FORWARD,
      { ...inputs, kappa0: k0A, w0: w0A },
      {},
    ) as tf.Tensor[];
    const last = (t: tf.Tensor, n: number) =>
      tf.reshape(tf.slice(t, [t.shape[0] - 1, 0, 0], [1, B, n]), [B, n]);
    side = [Phi, last(C, H), last(Kap, K)].map((t) => tf.keep(t));
    save([WwA, WhA, peepA, WpA, charsA, h0A, w0A, C, A, Hs, Ws, Kap, E]);
    return {
      value: tf.concat([Hs, Ws], 2),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [dH, dW] = tf.split(dy, [H, V], 2);
        const [Ww_, Wh_, peep_, Wp_, chars_, h0_, w0_, C_, A_, Hs_, Ws_, Kap_, E_] = saved;
        const ins = { dH, dW, Ww: Ww_, Wh: Wh_, peep: peep_, Wp: Wp_, chars: chars_, h0: h0_, w0: w0_ };
        const [dZ, dWw, dWh, dPeep, dWp, dbp, dh0, dc0, dk0, dw0] = tf.engine().runKernel(
          WINDOW_BACKWARD,
          { ...ins, C: C_, A: A_, Hs: Hs_, Ws: Ws_, Kap: Kap_, E: E_ },
          { clip },
        ) as tf.Tensor[];
        return [dZ, dWw, dWh, dPeep, dWp, dbp, tf.zerosLike(chars_), dh0, dc0, dk0, dw0];
      },
    };
  });
  const both = op(zx, Ww, Wh, peep, Wp, bp, chars, h0, c0, kappa0, w0) as tf.Tensor;
  const [h, w] = tf.split(both, [H, V], 2);
  // The side outputs were kept past the op's own scope; hand them to the caller's scope, as the loop's are.
  const [phi, cT, kappaT] = side.map((t) => {
    const mine = t.clone();
    t.dispose();
    return mine;
  });
  return { h, w, phi, cT, kappaT };
}
