/**
 * One optimiser step: loss and gradients (optionally with weight noise, the
 * paper's regulariser of section 3.1: Gaussian noise of std σ added to every
 * weight, sampled once per step, gradients applied to the clean weights; or
 * adaptive weight noise, `adaptive_noise.ts`), then the update — unless the loss or any gradient is NaN/Inf, in which case
 * nothing reaches the weights and the step is reported as skipped.
 * @module
 */
import * as tf from "../tf.ts";
import type { Params } from "../nn/params.ts";
import type { Optimizer } from "./optimizers.ts";
import type { AdaptiveWeightNoise } from "./adaptive_noise.ts";
import { gaussianNoise } from "./noise.ts";

/** What one step did. */
export interface StepResult {
  /** The loss before the update. */
  loss: number;
  /** Global L2 norm of the gradient. */
  gradNorm: number;
  /** True when the loss or gradient was not finite and the update was skipped. */
  skipped: boolean;
}

/** Weight noise: σ and the seed of this step's draw; with `adaptive`, σ is per weight and learned. */
export interface WeightNoise {
  std: number;
  seed: number;
  adaptive?: AdaptiveWeightNoise;
}

/** `p` plus independent N(0, σ²) noise on every weight (names sorted for reproducibility). */
export function addWeightNoise(p: Params, noise: WeightNoise): Params {
  const out: Params = {};
  Object.keys(p).sort().forEach((name, i) => {
    out[name] = tf.add(
      p[name],
      gaussianNoise(p[name].shape, noise.std, noise.seed + 7919 * i),
    );
  });
  return out;
}

/** The tensors of one step before anything is read: loss, gradient norm, gradients. */
interface PendingStep {
  loss: tf.Scalar;
  norm: tf.Scalar;
  grads: Params;
}

function computeStep(
  vars: Record<string, tf.Variable>,
  lossFn: (p: Params) => tf.Scalar,
  noise: WeightNoise | undefined,
  scale: number,
): PendingStep {
  const names = Object.keys(vars).sort();
  return tf.tidy(() => {
    const base: Params = Object.fromEntries(names.map((n) => [n, vars[n]]));
    const draw = noise?.adaptive?.sample(base, noise.seed);
    const p = draw ? draw.params : noise && noise.std > 0 ? addWeightNoise(base, noise) : base;
    const f = (...ts: tf.Tensor[]) =>
      tf.mul(lossFn(Object.fromEntries(names.map((n, i) => [n, ts[i]]))), scale) as tf.Scalar;
    const { value, grads } = tf.valueAndGrads(f)(names.map((n) => p[n]));
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    const named: Params = Object.fromEntries(names.map((n, i) => [n, grads[i]]));
    // with adaptive noise, the posterior's μ and log σ get the description-length gradients
    return {
      loss: tf.div(value, scale) as tf.Scalar,
      norm,
      grads: draw ? noise!.adaptive!.gradients(base, named, draw.eps) : named,
    };
  });
}

/** Applies the pending update if the read loss `l` and norm `g` are finite; frees the step's tensors. */
function finishStep(
  vars: Record<string, tf.Variable>,
  opt: Optimizer,
  noise: WeightNoise | undefined,
  s: PendingStep,
  l: number,
  g: number,
): StepResult {
  const skipped = !Number.isFinite(l) || !Number.isFinite(g);
  if (!skipped) opt.apply(noise?.adaptive ? { ...vars, ...noise.adaptive.variables() } : vars, s.grads);
  tf.dispose([s.loss, s.norm, ...Object.values(s.grads)]);
  return { loss: l, gradNorm: g, skipped };
}

/**
 * Computes `lossFn(params)` and the gradients of `scale` × it (the objective
 * the optimiser sees), and applies them with `opt` if everything is finite.
 * The reported loss is unscaled. `lossFn` may keep tensors (e.g. carried
 * state) with `tf.keep`.
 */
export function trainStep(
  vars: Record<string, tf.Variable>,
  lossFn: (p: Params) => tf.Scalar,
  opt: Optimizer,
  noise?: WeightNoise,
  scale = 1,
): StepResult {
  const s = computeStep(vars, lossFn, noise, scale);
  return finishStep(vars, opt, noise, s, s.loss.dataSync()[0], s.norm.dataSync()[0]);
}

/**
 * {@link trainStep} with asynchronous reads of the loss and gradient norm,
 * for backends that cannot read synchronously (`webgpu`).
 */
export async function trainStepAsync(
  vars: Record<string, tf.Variable>,
  lossFn: (p: Params) => tf.Scalar,
  opt: Optimizer,
  noise?: WeightNoise,
  scale = 1,
): Promise<StepResult> {
  const s = computeStep(vars, lossFn, noise, scale);
  const [l, g] = await Promise.all([s.loss.data(), s.norm.data()]);
  return finishStep(vars, opt, noise, s, l[0], g[0]);
}
