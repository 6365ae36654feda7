/**
 * The handwriting synthesis network of section 5 (Fig 12): the prediction
 * network with a soft window over the text. Layer 1 sees the pen input and
 * the previous window w_{t−1}; the window (eqs 46-51) is computed from layer
 * 1's output; layers 2..N see the pen input, the layer below and w_t; the
 * output layer sees every hidden layer.
 *
 * Layer 1 and the window run step by step (w_t depends on h¹_t, which
 * depends on w_{t−1}) with autograd; the layers above use the fused op.
 * @module
 */
import * as tf from "../tf.ts";
import { INIT_SCALE, type Params, type ParamSpec } from "../nn/params.ts";
import { mdnNegLogLik, mdnOutputSize, splitMixture } from "../nn/mdn.ts";
import { clipGradient } from "../nn/clip_gradient.ts";
import { lstmStepOp } from "../nn/lstm_sequence.ts";
import { charPositions, windowStep } from "../nn/window.ts";
import { hasWindowKernel, windowSequence } from "../nn/window_sequence.ts";
import {
  layerSpecs,
  outputLayer,
  outputSpecs,
  stackForward,
  stackSpecs,
  type StackState,
  zeroState,
} from "./stack.ts";

/** Sizes and clipping of a synthesis network. */
export interface SynthesisConfig {
  cells: number;
  layers: number;
  mixtures: number;
  /** K, window Gaussians. */
  windowMixtures: number;
  /** V, character classes (57 in the paper). */
  charClasses: number;
  clip: number;
  outputClip: number;
}

/** Section 5: 3 × 400 cells, 20 output mixtures, 10 window Gaussians, 57 classes. */
export const SYNTHESIS_PAPER: SynthesisConfig = {
  cells: 400,
  layers: 3,
  mixtures: 20,
  windowMixtures: 10,
  charClasses: 57,
  clip: 10,
  outputClip: 100,
};
/** A small network for tests. */
export const SYNTHESIS_TINY: SynthesisConfig = {
  ...SYNTHESIS_PAPER,
  cells: 16,
  layers: 2,
  mixtures: 3,
  windowMixtures: 2,
};

/** Initial bias of κ̂ (eq 51): the window starts by moving about 1/20 of a character per step. */
export const KAPPA_BIAS = -3;

/** Recurrent state: the stack, κ [B, K] and the last window w [B, V]. */
export interface SynthesisState {
  stack: StackState;
  kappa: tf.Tensor;
  w: tf.Tensor;
}

/** Parameter specs: layer 1 over [x, w], the window layer, layers 2..N over [x, h below, w], output. */
export function synthesisSpecs(c: SynthesisConfig): Record<string, ParamSpec> {
  const upper = stackSpecs(3, c.cells, c.layers, c.charClasses, 1);
  return {
    ...upper,
    // layer 1's input weights in two parts, pen (lstm1.Wx) and window (lstm1.Ww): w_{t−1} enters step by step
    ...layerSpecs("lstm1", 3, c.cells),
    "lstm1.Ww": { shape: [c.charClasses, 4 * c.cells], init: "uniform", scale: INIT_SCALE },
    "window.W": { shape: [c.cells, 3 * c.windowMixtures], init: "uniform", scale: INIT_SCALE },
    // κ̂ starts at −3: exp(−3) ≈ 1/20 of a character per pen step, as in the data (21.7 points per character)
    "window.b": {
      shape: [3 * c.windowMixtures],
      init: "const",
      value: 0,
      columns: [[2 * c.windowMixtures, 3 * c.windowMixtures, KAPPA_BIAS]],
    },
    ...outputSpecs(c.cells, c.layers, mdnOutputSize(c.mixtures)),
  };
}

/** Zero state for B lines. */
export function synthesisZeroState(c: SynthesisConfig, B: number): SynthesisState {
  return {
    stack: zeroState(B, c.cells, c.layers),
    kappa: tf.zeros([B, c.windowMixtures]),
    w: tf.zeros([B, c.charClasses]),
  };
}

/** One-hot text [B, U, V] from class codes padded with −1 (zero rows). */
export function oneHotText(codes: Int32Array, B: number, U: number, V: number): tf.Tensor {
  return tf.tidy(() => tf.oneHot(tf.tensor2d(codes, [B, U], "int32"), V).toFloat());
}

/**
 * ŷ for every step [T·B, 1 + 6M], the window weights φ [T, B, U] and the state
 * after step T, from x [T, B, 3] and the one-hot text [B, U, V]. `impl`
 * "auto" runs layer 1 and the window as one native op where the backend has
 * it (`windowSequence`); "ops" always steps through the tfjs ops.
 */
export function synthesisForward(
  p: Params,
  c: SynthesisConfig,
  x: tf.Tensor,
  chars: tf.Tensor,
  state: SynthesisState,
  impl: "auto" | "ops" = "auto",
) {
  const [T, B] = x.shape;
  // Pen-input part of layer 1 for all steps: [T·B, 3] × [3, 4H] + b → [T, B, 4H]
  const zx1 = tf.add(tf.matMul(tf.reshape(x, [T * B, 3]), p["lstm1.Wx"]), p["lstm1.b"]);
  const first = impl === "auto" && hasWindowKernel()
    ? firstLayerFused(p, c, tf.reshape(zx1, [T, B, 4 * c.cells]), chars, state)
    : firstLayerSteps(p, c, tf.reshape(zx1, [T, B, 4 * c.cells]), chars, state);
  const rest = stackForward(p, x, state.stack, c.clip, first.w, 1, 1, first.h); // layers 2..N with w_t
  const stack: StackState = {
    h: [first.last.h, ...rest.state.h.slice(1)],
    c: [first.last.c, ...rest.state.c.slice(1)],
  };
  const yHat = clipGradient(outputLayer(p, [first.h, ...rest.hs]), -c.outputClip, c.outputClip);
  return { yHat, phi: first.phi, state: { stack, kappa: first.last.kappa, w: first.last.w } };
}

/** Layer 1 and the window over T steps: h¹ [T, B, H], w [T, B, V], φ [T, B, U] and the state after step T. */
interface FirstLayer {
  h: tf.Tensor;
  w: tf.Tensor;
  phi: tf.Tensor;
  last: { h: tf.Tensor; c: tf.Tensor; kappa: tf.Tensor; w: tf.Tensor };
}

/** Layer 1 and the window step by step: w_t depends on h¹_t, which depends on w_{t−1} (eqs 46-51). */
function firstLayerSteps(
  p: Params,
  c: SynthesisConfig,
  zx1: tf.Tensor,
  chars: tf.Tensor,
  state: SynthesisState,
): FirstLayer {
  const T = zx1.shape[0];
  const zx = T === 1 ? [tf.squeeze(zx1, [0])] : tf.unstack(zx1);
  const positions = charPositions(chars.shape[1]!); // u = 1..U, once for all steps
  let h = state.stack.h[0], cc = state.stack.c[0], kappa = state.kappa, w = state.w;
  const h1s: tf.Tensor[] = [], ws: tf.Tensor[] = [], phis: tf.Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const z = tf.add(zx[t], tf.matMul(w, p["lstm1.Ww"])); // w_{t−1} feeds layer 1
    ({ h, c: cc } = lstmStepOp(z, h, cc, p["lstm1.Wh"], p["lstm1.peep"], c.clip));
    const win = windowStep(tf.add(tf.matMul(h, p["window.W"]), p["window.b"]), kappa, chars, positions); // eq 48
    kappa = win.kappa;
    w = win.w;
    h1s.push(h);
    ws.push(w);
    phis.push(win.phi);
  }
  const along = (ts: tf.Tensor[]) => (T === 1 ? tf.expandDims(ts[0], 0) : tf.stack(ts)); // one step: a view, no copy
  return { h: along(h1s), w: along(ws), phi: along(phis), last: { h, c: cc, kappa, w } };
}

/** The same as one native op each way (`windowSequence`). */
function firstLayerFused(
  p: Params,
  c: SynthesisConfig,
  zx1: tf.Tensor,
  chars: tf.Tensor,
  state: SynthesisState,
): FirstLayer {
  const [T, B] = zx1.shape;
  const { h, w, phi, cT, kappaT } = windowSequence(
    zx1,
    p["lstm1.Ww"],
    p["lstm1.Wh"],
    p["lstm1.peep"],
    p["window.W"],
    p["window.b"],
    chars,
    state.stack.h[0],
    state.stack.c[0],
    state.kappa,
    state.w,
    c.clip,
  );
  const lastOf = (t: tf.Tensor) =>
    tf.reshape(tf.slice(t, [T - 1, 0, 0], [1, B, t.shape[2]!]), [B, t.shape[2]!]);
  return { h, w, phi, last: { h: lastOf(h), c: cT, kappa: kappaT, w: lastOf(w) } };
}

/** Summed −log Pr over unmasked points divided by B, as in `handwritingLoss`. */
export function synthesisLoss(
  p: Params,
  c: SynthesisConfig,
  x: tf.Tensor,
  target: tf.Tensor,
  mask: tf.Tensor,
  chars: tf.Tensor,
  state: SynthesisState,
  impl: "auto" | "ops" = "auto",
) {
  const [T, B] = x.shape;
  const r = synthesisForward(p, c, x, chars, state, impl);
  const nll = mdnNegLogLik(splitMixture(r.yHat), tf.reshape(target, [T * B, 3]));
  return {
    loss: tf.div(tf.sum(tf.mul(nll, tf.reshape(mask, [-1]))), B) as tf.Scalar,
    state: r.state,
    phi: r.phi,
  };
}
