/**
 * RMS-normalised dynamic evaluation with decay toward the trained weights
 * (Krause, Kahembwe, Murray & Renals 2017, "Dynamic Evaluation of Neural
 * Sequence Models") — not the paper's method. Graves (section 3.1)
 * adapts the weights by plain gradient steps; this rule divides each weight's
 * gradient by its root mean square measured on training text, and pulls every
 * weight back toward its trained value θ₀ at a rate that grows with that RMS:
 *
 *   θ ← θ − η ∇/(r + ε·r̄) + min(λ r/r̄, 1) ⊙ (θ₀ − θ)
 *
 * with r = √E[∇²] per weight (`gradientRms`) and r̄ its mean over the tensor.
 * @module
 */
import * as tf from "../tf.ts";
import { ownedVariable, type Params, variablesOf } from "../nn/params.ts";
import { type Codes, StreamBatcher } from "../data/streams.ts";
import type { TextConfig } from "../models/text.ts";
import type { Optimizer } from "../train/optimizers.ts";
import { TextStreamTask } from "../train/tasks.ts";
import { trainStep } from "../train/step.ts";

/** Hyperparameters of `RmsDynamic`. */
export interface RmsDynamicConfig {
  /** η, the step on a normalised gradient. */
  eta: number;
  /** λ, the decay toward the trained weights per step (scaled by r/r̄, capped at 1). */
  lambda: number;
  /** ε, the stabiliser, as a fraction of the tensor's mean RMS r̄. */
  eps: number;
  /** Training characters the gradient RMS is measured on (`gradientRms`). */
  trainSymbols: number;
  /**
   * Streams the measurement runs as (default: the evaluation's). A step's
   * gradient is the mean over its streams: where the streams' gradients are
   * independent and zero-mean (a trained network), its RMS falls as 1/√B, so
   * the measurement is multiplied by √(trainStreams / evaluation streams).
   * Lets a word model be measured over the whole training text (every word's
   * rows seen) in minutes.
   */
  trainStreams?: number;
}

/**
 * Root mean square of each weight's gradient (of nats summed over each
 * T-character segment, the training objective) over a stream scored as `B`
 * streams, weights held fixed: Krause et al.'s MS_g, times `scale`. Returns new tensors.
 */
export function gradientRms(p: Params, c: TextConfig, codes: Codes, B = 1, T = 100, scale = 1): Params {
  const sum: Record<string, tf.Variable> = {};
  let count = 0;
  const accumulate: Optimizer = {
    name: "gradient-mean-square",
    hyper: {},
    apply(_vars, grads) {
      for (const [k, g] of Object.entries(grads)) {
        sum[k] ??= ownedVariable(() => tf.zerosLike(g), false);
        tf.tidy(() => sum[k].assign(tf.add(sum[k], tf.square(g))));
      }
      count++;
    },
    slots: () => ({}),
    loadSlots() {},
  };
  const vars = variablesOf(p, false);
  const task = new TextStreamTask(c, new StreamBatcher(codes, B, T));
  for (let i = 0; i < task.data.segments; i++) {
    task.advance(trainStep(vars, (q) => task.loss(q), accumulate, undefined, task.objectiveScale).skipped);
  }
  if (count === 0) throw new Error(`gradientRms: no finite gradient in ${codes.length} characters`);
  const rms = Object.fromEntries(
    Object.entries(sum).map(([k, s]) => [k, tf.tidy(() => tf.mul(tf.sqrt(tf.div(s, count)), scale))]),
  );
  tf.dispose([...Object.values(sum), ...Object.values(vars), ...Object.values(task.stateTensors())]);
  return rms;
}

/** The update rule above, as an `Optimizer` for `dynamicEvaluateText`. Call `dispose()` when done. */
export class RmsDynamic implements Optimizer {
  readonly name = "rms-dynamic";
  private readonly theta0: Params = {};
  private readonly denom: Params = {};
  private readonly decay: Params = {};

  /** `trained`: θ₀ (copied); `rms`: `gradientRms` of the same weights (not kept). */
  constructor(readonly cfg: RmsDynamicConfig, trained: Params, rms: Params) {
    for (const [k, r] of Object.entries(rms)) {
      this.theta0[k] = trained[k].clone();
      [this.denom[k], this.decay[k]] = tf.tidy(() => {
        const mean = tf.mean(r);
        return [tf.add(r, tf.mul(cfg.eps, mean)), tf.minimum(tf.mul(cfg.lambda, tf.div(r, mean)), 1)];
      });
    }
  }
  get hyper(): Record<string, number> {
    return { ...this.cfg };
  }
  apply(vars: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
    for (const [k, g] of Object.entries(grads)) {
      const w = vars[k];
      tf.tidy(() => {
        const back = tf.mul(this.decay[k], tf.sub(this.theta0[k], w));
        w.assign(tf.add(w, tf.sub(back, tf.mul(this.cfg.eta, tf.div(g, this.denom[k])))));
      });
    }
  }
  /** No state beyond θ₀ and the fixed RMS: nothing for a checkpoint. */
  slots(): Record<string, tf.Tensor> {
    return {};
  }
  loadSlots(): void {}
  /** Frees θ₀ and the per-weight factors. */
  dispose(): void {
    tf.dispose([...Object.values(this.theta0), ...Object.values(this.denom), ...Object.values(this.decay)]);
  }
}
