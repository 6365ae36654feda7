/**
 * The LSTM over a whole sequence as one differentiable op: the forward pass
 * runs every step, and the backward pass is hand-written backpropagation
 * through time (`tf.customGrad`) with the recurrent weight gradient as one
 * large matMul over all T·B rows. Backends with the fused kernels
 * (`lib/backend/native.ts`: the offline CPU path) run each direction as one call instead.
 *
 * The derivatives reaching the gate pre-activations are clipped to
 * [−clip, clip] at every step (section 4.2: "the LSTM derivatives"), before
 * they flow further back in time or into any weight gradient.
 * @module
 */
import * as tf from "../tf.ts";
import { lstmStep, peepholes } from "./lstm_cell.ts";
import { hasNativeKernel, LSTM_BACKWARD, LSTM_FORWARD } from "../backend/native.ts";

/** Result of `lstmSequence`. */
export interface LstmSequenceOutput {
  /** Hidden states h_1..h_T, [T, B, H] (differentiable). */
  h: tf.Tensor;
  /** Final cell state c_T, [B, H]: carry it into the next segment (not differentiable). */
  cT: tf.Tensor;
}

/**
 * Runs the LSTM of eqs 7-11 over T steps.
 *
 * @param zx input parts of the gate pre-activations, [T, B, 4H] (W_x x_t + b for every t)
 * @param Wh recurrent weights, [H, 4H]
 * @param peep peephole weights (w_ci, w_cf, w_co), [3, H]
 * @param h0 initial hidden state, [B, H]
 * @param c0 initial cell state, [B, H]
 * @param clip bound on the pre-activation derivatives (Infinity: none)
 * @param impl "auto": the backend's fused kernels when it has them; "ops": always the tfjs ops below
 *
 * @example
 * ```ts
 * import * as tf from "../tf.ts";
 * import { lstmSequence } from "./lstm_sequence.ts";
 * const [T, B, H] = [5, 2, 3];
 * const { h, cT } = lstmSequence(tf.randomNormal([T, B, 4 * H]), tf.randomNormal([H, 4 * H]), tf.zeros([3, H]), tf.zeros([B, H]), tf.zeros([B, H]), 1);
 * console.log(h.shape, cT.shape); // [5, 2, 3] [2, 3]
 * ```
 */
export function lstmSequence(
  zx: tf.Tensor,
  Wh: tf.Tensor,
  peep: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
  clip = Infinity,
  impl: "auto" | "ops" = "auto",
): LstmSequenceOutput {
  const [T, B] = zx.shape;
  const H = Wh.shape[0];
  if (impl === "auto" && hasNativeKernel(LSTM_FORWARD)) return fusedSequence(zx, Wh, peep, h0, c0, clip);
  let cT: tf.Tensor | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [zxA, WhA, peepA, h0A, c0A] = args as tf.Tensor[];
    const save = args[5] as tf.GradSaveFunc;
    const p = peepholes(peepA as tf.Tensor);
    const zs = tf.unstack(zxA) as tf.Tensor[];
    const hs: tf.Tensor[] = [], cs: tf.Tensor[] = [c0A as tf.Tensor], acts: tf.Tensor[] = [];
    let h = h0A as tf.Tensor, c = c0A as tf.Tensor;
    for (let t = 0; t < T; t++) {
      const s = lstmStep(zs[t], h, c, WhA as tf.Tensor, p);
      h = s.h;
      c = s.c;
      hs.push(h);
      cs.push(c);
      acts.push(tf.concat([s.gates.i, s.gates.f, s.gates.g, s.gates.o], 1));
    }
    cT = tf.keep(c.clone());
    const H3 = tf.stack(hs) as tf.Tensor; // [T, B, H]
    save([WhA, peepA, h0A, tf.stack(cs), tf.stack(acts), H3]);
    return {
      value: H3,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy as tf.Tensor, saved, clip, T, B, H),
    };
  });
  const h = op(zx, Wh, peep, h0, c0) as tf.Tensor;
  return { h, cT: cT! };
}

/** The fused forward kernel: h_1..h_T [T, B, H], c_0..c_T [T+1, B, H], gate activations [T, B, 4H]. */
function fusedForward(
  zx: tf.Tensor,
  Wh: tf.Tensor,
  peep: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
): tf.Tensor[] {
  return tf.engine().runKernel(LSTM_FORWARD, { zx, Wh, peep, h0, c0 }, {}) as tf.Tensor[];
}

/**
 * The fused BPTT kernel on the tensors `fusedForward` callers save ([Wh, peep, h0, C, A, Hs]):
 * gradients for (zx, Wh, peep, h0, c0). `dcT`: a derivative reaching c_T from outside, if any.
 */
function fusedBackward(
  dH: tf.Tensor,
  dcT: tf.Tensor | undefined,
  saved: tf.Tensor[],
  clip: number,
): tf.Tensor[] {
  const [Wh, peep, h0, C, A, Hs] = saved;
  const inputs = { dH, Wh, peep, h0, C, A, Hs, ...(dcT ? { dcT } : {}) };
  return tf.engine().runKernel(LSTM_BACKWARD, inputs, { clip }) as tf.Tensor[];
}

/**
 * The same op through the backend's fused kernels (`GravesLstmForward` /
 * `GravesLstmBackward`, see `lib/backend/native.ts`): one call per
 * sequence each way, saving the same tensors as the ops above.
 */
function fusedSequence(
  zx: tf.Tensor,
  Wh: tf.Tensor,
  peep: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
  clip: number,
): LstmSequenceOutput {
  const [T, B] = zx.shape;
  const H = Wh.shape[0];
  let cT: tf.Tensor | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [zxA, WhA, peepA, h0A, c0A] = args as tf.Tensor[];
    const save = args[5] as tf.GradSaveFunc;
    const [Hs, C, A] = fusedForward(zxA, WhA, peepA, h0A, c0A);
    cT = tf.keep(tf.reshape(tf.slice(C, [T, 0, 0], [1, B, H]), [B, H]));
    save([WhA, peepA, h0A, C, A, Hs]);
    return {
      value: Hs,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => fusedBackward(dy, undefined, saved, clip),
    };
  });
  const h = op(zx, Wh, peep, h0, c0) as tf.Tensor;
  return { h, cT: cT! };
}

/**
 * One LSTM step (eqs 7-11) with h and c both differentiable, for loops that
 * step one point at a time (the synthesis window, sampling): the fused kernels
 * with T = 1 where the backend has them (one call each way instead of ~15 and
 * ~25 ops), else `lstmStep`.
 *
 * @param zx input part of the pre-activations [B, 4H]; Wh [H, 4H]; peep [3, H]; h0, c0 [B, H]
 */
export function lstmStepOp(
  zx: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
  Wh: tf.Tensor,
  peep: tf.Tensor,
  clip = Infinity,
): { h: tf.Tensor; c: tf.Tensor } {
  if (!hasNativeKernel(LSTM_FORWARD)) {
    const s = lstmStep(zx, h0, c0, Wh, peepholes(peep), clip);
    return { h: s.h, c: s.c };
  }
  const [B, G] = zx.shape, H = Wh.shape[0];
  if (!tf.engine().isTapeOn()) {
    // No gradient wanted (sampling): the forward kernel alone, h and c as views of its outputs.
    const [Hs, C, A] = fusedForward(tf.reshape(zx, [1, B, G]), Wh, peep, h0, c0);
    const out = { h: tf.reshape(Hs, [B, H]), c: tf.reshape(tf.slice(C, [1, 0, 0], [1, B, H]), [B, H]) };
    tf.dispose([Hs, C, A]);
    return out;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [zxA, WhA, peepA, h0A, c0A] = args as tf.Tensor[];
    const save = args[5] as tf.GradSaveFunc;
    const [Hs, C, A] = fusedForward(tf.reshape(zxA, [1, B, G]), WhA, peepA, h0A, c0A);
    save([WhA, peepA, h0A, C, A, Hs]);
    return {
      value: tf.concat([tf.reshape(Hs, [B, H]), tf.reshape(tf.slice(C, [1, 0, 0], [1, B, H]), [B, H])], 1),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [dh, dc] = tf.split(dy, 2, 1);
        const [dZ, dWh, dPeep, dh0, dc0] = fusedBackward(tf.reshape(dh, [1, B, H]), dc, saved, clip);
        return [tf.reshape(dZ, [B, G]), dWh, dPeep, dh0, dc0];
      },
    };
  });
  const [h, c] = tf.split(op(zx, Wh, peep, h0, c0) as tf.Tensor, 2, 1);
  return { h, c };
}

/**
 * Backpropagation through time for `lstmSequence`. Returns gradients for
 * (zx, Wh, peep, h0, c0).
 */
function backward(
  dH: tf.Tensor,
  saved: tf.Tensor[],
  clip: number,
  T: number,
  B: number,
  H: number,
): tf.Tensor[] {
  const [Wh, peep, h0, C, A, Hs] = saved as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  const [wci, wcf, wco] = peepholes(peep);
  // Every factor that does not depend on the recursion, for all T steps at once ([T, B, H] each),
  // so the loop below is 16 small ops a step (20 with clipping) instead of about 40.
  const [i, f, g, o] = tf.split(A, 4, 2);
  const cPrevs = tf.slice(C, [0, 0, 0], [T, B, H]), tc = tf.tanh(tf.slice(C, [1, 0, 0], [T, B, H]));
  const dsig = (s: tf.Tensor) => tf.mul(s, tf.sub(1, s)); // σ' = σ(1 − σ)
  const Fo = tf.unstack(tf.mul(tc, dsig(o))); // ∂h/∂z_o (eqs 10-11)
  const Fc = tf.unstack(tf.mul(o, tf.sub(1, tf.square(tc)))); // ∂h/∂c, direct (eq 11)
  const Fi = tf.unstack(tf.mul(g, dsig(i))); // ∂c/∂z_i (eqs 7, 9)
  const Ff = tf.unstack(tf.mul(cPrevs, dsig(f))); // ∂c/∂z_f (eqs 8-9)
  const Fg = tf.unstack(tf.mul(i, tf.sub(1, tf.square(g)))); // ∂c/∂z_g (eq 9)
  const fs = tf.unstack(f);
  const dHs = tf.unstack(dH) as tf.Tensor[];
  const WhT = tf.transpose(Wh); // [4H, H], made once for the T recurrent products
  const clipped = (d: tf.Tensor) => (clip === Infinity ? d : tf.clipByValue(d, -clip, clip));
  const dZs: tf.Tensor[] = new Array(T);
  let dhNext: tf.Tensor = tf.zeros([B, H]);
  let dcNext: tf.Tensor = tf.zeros([B, H]);
  for (let t = T - 1; t >= 0; t--) {
    const dh = tf.add(dHs[t], dhNext);
    const dzo = clipped(tf.mul(dh, Fo[t]));
    const dc = tf.add(tf.add(dcNext, tf.mul(dh, Fc[t])), tf.mul(dzo, wco)); // the peephole w_co carries dz_o into c
    const dzi = clipped(tf.mul(dc, Fi[t])),
      dzf = clipped(tf.mul(dc, Ff[t])),
      dzg = clipped(tf.mul(dc, Fg[t]));
    const dZ = tf.concat([dzi, dzf, dzg, dzo], 1); // [B, 4H]
    dZs[t] = dZ;
    dcNext = tf.add(tf.mul(dc, fs[t]), tf.add(tf.mul(dzi, wci), tf.mul(dzf, wcf)));
    dhNext = tf.matMul(dZ, WhT); // [B, 4H] × [4H, H] → [B, H]
  }
  const dZ = tf.stack(dZs) as tf.Tensor; // [T, B, 4H]
  // h_{t−1} for every step: [h_0, h_1..h_{T−1}] as [T·B, H]
  const hPrev = tf.concat([h0, tf.reshape(tf.slice(Hs, [0, 0, 0], [T - 1, B, H]), [(T - 1) * B, H])], 0);
  const dZ2 = tf.reshape(dZ, [T * B, 4 * H]);
  const dWh = tf.matMul(hPrev, dZ2, true, false); // [H, T·B] × [T·B, 4H] → [H, 4H]
  const cPrevAll = tf.reshape(cPrevs, [T * B, H]);
  const cAll = tf.reshape(tf.slice(C, [1, 0, 0], [T, B, H]), [T * B, H]);
  const [dzi, dzf, , dzo] = tf.split(dZ2, 4, 1);
  const dPeep = tf.stack([
    tf.sum(tf.mul(dzi, cPrevAll), 0),
    tf.sum(tf.mul(dzf, cPrevAll), 0),
    tf.sum(tf.mul(dzo, cAll), 0),
  ]); // [3, H]
  return [dZ, dWh, dPeep, dhNext, dcNext];
}
