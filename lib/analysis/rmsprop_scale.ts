/**
 * Where RMSProp's stabiliser ℸ sets the step size. Eq 41 divides by
 * √(n − g² + ℸ), where n − g² (eqs 39-40) is a running estimate of the
 * gradient's variance. For a weight whose gradient varies much less than √ℸ,
 * the denominator is about √ℸ, and the update is plain SGD with rate ℷ/√ℸ
 * rather than a normalised step of about ℷ.
 *
 * The paper took ℸ = 1e−4 with one sequence's summed gradient per update.
 * An average over a minibatch has a smaller spread, so ℸ throttles more
 * weights. This module reads a run's optimiser slots and says how many.
 * @module
 */
import type * as tf from "../tf.ts";
import { median } from "./stats.ts";

/** One parameter's gradient spread, measured against √ℸ. */
export interface StabiliserRow {
  /** Parameter name, e.g. `lstm3.Wh`. */
  param: string;
  /** Number of weights. */
  weights: number;
  /** Median over the weights of √max(n − g², 0): the gradient's spread. */
  medianSpread: number;
  /** Share of the weights with n − g² < ℸ (their step is set by ℸ more than by the gradient's spread). */
  shareBelow: number;
}

/**
 * Per parameter, the spread of its gradient and the share of its weights whose
 * variance estimate n − g² is below ℸ. `slots` holds RMSProp's slots by
 * `<slot>/<param>` (a checkpoint's `opt/` tensors, prefix removed).
 */
export function stabiliserShare(slots: Record<string, tf.Tensor>, daleth: number): StabiliserRow[] {
  const params = Object.keys(slots).filter((k) => k.startsWith("n/")).map((k) => k.slice(2)).sort();
  if (params.length === 0) {
    throw new Error("no RMSProp slots (n/<param>): not an RMSProp run, or a shipped copy");
  }
  return params.map((param) => {
    const g = slots[`g/${param}`];
    if (!g) throw new Error(`slot n/${param} has no g/${param}`);
    const n = slots[`n/${param}`].dataSync() as Float32Array, gv = g.dataSync() as Float32Array;
    const spread = new Float32Array(n.length);
    let below = 0;
    for (let i = 0; i < n.length; i++) {
      const variance = n[i] - gv[i] * gv[i];
      if (variance < daleth) below++;
      spread[i] = Math.sqrt(Math.max(variance, 0));
    }
    return { param, weights: n.length, medianSpread: median(spread), shareBelow: below / n.length };
  });
}
