/**
 * The handwriting predictor of section 4: pen offsets (Δx, Δy, end-of-stroke)
 * in, a deep LSTM stack with skip connections, the mixture density output of
 * eqs 17-22 out, trained on −log Pr(x) (eq 26).
 * @module
 */
import * as tf from "../tf.ts";
import type { Params, ParamSpec } from "../nn/params.ts";
import {
  drawFromMixture,
  mdnNegLogLik,
  mdnOutputSize,
  mixtureRows,
  sampleMixture,
  splitMixture,
} from "../nn/mdn.ts";
import { clipGradient } from "../nn/clip_gradient.ts";
import {
  disposeState,
  keepState,
  outputLayer,
  outputSpecs,
  stackForward,
  stackSpecs,
  type StackState,
  zeroState,
} from "./stack.ts";
import type { Rng } from "../util/rng.ts";
import { nativeStepper } from "./native_step.ts";
import { type CellName, cellOf } from "../nn/cells.ts";

/** Sizes and clipping of a handwriting network. */
export interface HandwritingConfig {
  cells: number;
  layers: number;
  /** M, bivariate Gaussian components. */
  mixtures: number;
  /** Bound on LSTM pre-activation derivatives (section 4.2: [−10, 10]). */
  clip: number;
  /** Bound on output derivatives (section 4.2: [−100, 100]). */
  outputClip: number;
  /** The recurrent cell H (`lib/nn/cells.ts`; default the paper's LSTM, eqs 7-11). */
  cell?: CellName;
}

/** Section 4: three layers of 400 cells, 20 components (121 outputs). */
export const HANDWRITING_PAPER: HandwritingConfig = {
  cells: 400,
  layers: 3,
  mixtures: 20,
  clip: 10,
  outputClip: 100,
};
/** A small network for tests. */
export const HANDWRITING_TINY: HandwritingConfig = {
  cells: 16,
  layers: 2,
  mixtures: 3,
  clip: 10,
  outputClip: 100,
};

/** Parameter specs. */
export function handwritingSpecs(c: HandwritingConfig): Record<string, ParamSpec> {
  return {
    ...stackSpecs(3, c.cells, c.layers, 0, 1, cellOf(c.cell)),
    ...outputSpecs(c.cells, c.layers, mdnOutputSize(c.mixtures)),
  };
}

/** Zero state for B lines. */
export function handwritingZeroState(c: HandwritingConfig, B: number): StackState {
  return zeroState(B, c.cells, c.layers);
}

/** ŷ for every step, [T·B, 1 + 6M], from x [T, B, 3] (time-major). */
export function handwritingForward(p: Params, c: HandwritingConfig, x: tf.Tensor, state: StackState) {
  const { hs, state: next } = stackForward(p, x, state, c.clip, undefined, 1, 0, undefined, cellOf(c.cell));
  return { yHat: clipGradient(outputLayer(p, hs), -c.outputClip, c.outputClip), state: next };
}

/**
 * Summed −log Pr over the unmasked points of a segment, divided by B (nats per
 * sequence contributed by this segment), and the number of points scored.
 * @param x inputs [T, B, 3]; @param target [T, B, 3]; @param mask [T, B] (1 = real point)
 */
export function handwritingLoss(
  p: Params,
  c: HandwritingConfig,
  x: tf.Tensor,
  target: tf.Tensor,
  mask: tf.Tensor,
  state: StackState,
) {
  const [T, B] = x.shape;
  const { yHat, state: next } = handwritingForward(p, c, x, state);
  const nll = mdnNegLogLik(splitMixture(yHat), tf.reshape(target, [T * B, 3]));
  return { loss: tf.div(tf.sum(tf.mul(nll, tf.reshape(mask, [-1]))), B) as tf.Scalar, state: next };
}

/**
 * Unconditional handwriting: `steps` points sampled one at a time from the
 * null first input, with sampling bias b (section 5.4). Returns [steps, 3]
 * normalised offsets. Each step is one native call where the kernels are
 * loaded (`native_step.ts`); `impl` "ops" forces the tfjs ops.
 * `biasWeights` false narrows σ only and leaves the mixture weights π
 * unbiased (not in the paper; see `SynthesisSampleOptions.biasWeights`).
 */
export function sampleHandwriting(
  p: Params,
  c: HandwritingConfig,
  steps: number,
  rng: Rng,
  bias = 0,
  impl: "auto" | "ops" = "auto",
  biasWeights = true,
): Float32Array {
  const weightBias = biasWeights ? bias : 0;
  const out = new Float32Array(3 * steps);
  const native = impl === "auto" ? nativeStepper(p, c) : undefined;
  let state = handwritingZeroState(c, 1);
  const noClip = { ...c, clip: Infinity, outputClip: Infinity }; // no gradients here: skip the clipping ops
  let x: Float32Array = new Float32Array(3);
  for (let t = 0; t < steps; t++) {
    let pt: Float32Array;
    if (native) {
      pt = drawFromMixture(mixtureRows(native.step(x).yHat, c.mixtures, bias, weightBias), () => rng.next());
    } else {
      const old = state;
      pt = tf.tidy(() => {
        const r = handwritingForward(p, noClip, tf.tensor3d(x, [1, 1, 3]), old);
        state = keepState(r.state);
        return sampleMixture(splitMixture(r.yHat, bias, weightBias), () => rng.next());
      });
      disposeState(old);
    }
    out.set(pt, 3 * t);
    x = pt;
  }
  disposeState(state);
  return out;
}
