/**
 * When a run has diverged, so that it stops instead of writing what it
 * learned since: weights that are no longer finite after an update (a cheap
 * check: the sum of every weight is finite exactly when each one is, short of
 * overflow, which is divergence too); a loss that stays more than
 * `factor − 1` times the running loss's magnitude above its running value from
 * before the rise, for `steps` steps (above 10× a positive running loss; a
 * density's negative log-likelihood is often negative, so the rise is what
 * counts, and its magnitude is at least a few times the loss's usual spread,
 * so a loss crossing zero is not a rise); or a loss or gradient that stays
 * non-finite (every update skipped) for `steps` steps.
 * @module
 */
import * as tf from "../tf.ts";

/** A run that diverged at `step`; nothing it learned after its last checkpoint is written. */
export class DivergenceError extends Error {
  constructor(readonly step: number, readonly reason: string) {
    super(`the run diverged at step ${step.toLocaleString("en-US")}: ${reason}`);
    this.name = "DivergenceError";
  }
}

/** Whether every weight is finite: one reduction per variable, one number read. */
export function weightsFinite(vars: Record<string, tf.Tensor>): boolean {
  const total = tf.tidy(() => tf.addN(Object.values(vars).map((v) => tf.sum(v))).dataSync()[0]);
  return Number.isFinite(total);
}

/** How long a loss may stay high, and how high, before the run counts as diverged. */
export interface DivergenceBound {
  /** A loss more than `factor − 1` × |running loss| above the running loss from before it rose … @default 10 */
  factor?: number;
  /** … for this many steps in a row (and as many skipped steps in a row). @default 50 */
  steps?: number;
}

/** Watches a run's losses step by step; `check` throws `DivergenceError` once the bound is passed. */
export class DivergenceWatch {
  #ref = NaN;
  #smooth = NaN;
  #spread = 0;
  #margin = NaN;
  #high = 0;
  #skipped = 0;
  constructor(readonly bound: DivergenceBound = {}) {}

  /** Takes step `step`'s loss (and whether its update was skipped); throws when the run has diverged. */
  check(step: number, loss: number, skipped: boolean, vars: Record<string, tf.Tensor>): void {
    const factor = this.bound.factor ?? 10, steps = this.bound.steps ?? 50;
    if (!skipped && !weightsFinite(vars)) {
      throw new DivergenceError(
        step,
        "a weight is NaN or infinite after the update (learning rate too high?)",
      );
    }
    this.#skipped = skipped ? this.#skipped + 1 : 0;
    if (this.#skipped >= steps) {
      throw new DivergenceError(step, `the loss or gradient was not finite for ${steps} steps in a row`);
    }
    if (skipped) return;
    if (loss > this.#ref + this.#margin) {
      if (++this.#high >= steps) {
        throw new DivergenceError(
          step,
          `the loss stayed above ${(this.#ref + this.#margin).toPrecision(4)} (its running value ${
            this.#ref.toPrecision(4)
          } plus ${factor - 1}× its size) for ${steps} steps`,
        );
      }
    } else {
      this.#high = 0;
    }
    if (this.#high > 0) return; // the running value holds still while the loss is high
    if (Number.isNaN(this.#smooth)) this.#smooth = loss;
    else {
      this.#spread = 0.95 * this.#spread + 0.05 * Math.abs(loss - this.#smooth);
      this.#smooth = 0.95 * this.#smooth + 0.05 * loss;
    }
    this.#ref = this.#smooth;
    // the rise that counts: factor − 1 times the loss's size, at least a few times its usual spread
    this.#margin = (factor - 1) * Math.max(Math.abs(this.#ref), 3 * this.#spread);
  }
}
