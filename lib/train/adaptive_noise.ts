/**
 * Adaptive weight noise (Graves 2011, "Practical Variational Inference for
 * Neural Networks"), the regulariser behind the paper's best rows in Tables
 * 1, 3 and 4. Every weight has a Gaussian posterior N(μ_i, σ_i²): μ are the
 * network's weights, σ is learned beside them (as s = log σ). Each step draws
 * one weight sample w = μ + σ ε and minimises the description length
 *
 *   L = L_E + L_C / S,   L_C = Σ_i KL(N(μ_i, σ_i²) ‖ N(μ_p, σ_p²))
 *
 * per training sequence (S sequences in the training set), where L_E is the
 * task's loss at w and the prior is the single Gaussian that minimises L_C:
 * μ_p = mean(μ_i), σ_p² = mean(σ_i² + (μ_i − μ_p)²). At that prior,
 *
 *   ∂L/∂μ_i = g_i + (μ_i − μ_p) / (σ_p² S)
 *   ∂L/∂s_i = g_i ε_i σ_i + (σ_i² / σ_p² − 1) / S
 *
 * with g = ∂L_E/∂w at the sample (the reparameterised estimate of ∂L_E/∂σ;
 * Graves 2011 used a diagonal Gauss-Newton one). Evaluation uses μ.
 * @module
 */
import * as tf from "../tf.ts";
import { ownedVariable, type Params } from "../nn/params.ts";
import { gaussianNoise } from "./noise.ts";
import { type Optimizer, PrefixSplit, RmsProp, RMSPROP_PAPER } from "./optimizers.ts";

/** Name prefix of the log σ variables (optimiser slots, checkpoints). */
export const AWN_PREFIX = "awn/";

/** Initial σ of every weight: the fixed weight-noise level of section 3.1. */
export const AWN_INIT_STD = 0.075;

/**
 * ℷ and ℸ of log σ's RMSProp in the RMSProp profiles: the network's own (the
 * paper's eq 41 values), so that log σ moves as every other weight unless set.
 */
export const AWN_SIGMA_PAPER = {
  awnLearningRate: RMSPROP_PAPER.learningRate,
  awnEpsilon: RMSPROP_PAPER.epsilon,
} as const;

/** The optimal prior N(μ_p, σ_p²) over all weights, as scalars. */
export interface Prior {
  mu: tf.Scalar;
  variance: tf.Scalar;
}

/** The learned noise of one network: log σ per weight, beside the weights μ. */
export class AdaptiveWeightNoise {
  /** s = log σ, one variable per parameter, same names as the network's. */
  readonly logSigma: Record<string, tf.Variable>;

  /**
   * @param vars the network's weights μ
   * @param sequences S, training sequences per epoch (the complexity cost is spread over them)
   */
  constructor(vars: Record<string, tf.Variable>, readonly sequences: number, initStd = AWN_INIT_STD) {
    if (!(sequences > 0)) {
      throw new Error(`adaptive weight noise needs the training-set size, got ${sequences}`);
    }
    this.logSigma = Object.fromEntries(
      Object.entries(vars).map((
        [k, v],
      ) => [k, ownedVariable(() => tf.fill(v.shape, Math.log(initStd)), true)]),
    );
  }

  /** w = μ + σ ε with ε ~ N(0, 1), one draw per call (names sorted for reproducibility); also returns ε. */
  sample(mu: Params, seed: number): { params: Params; eps: Params } {
    const params: Params = {}, eps: Params = {};
    Object.keys(mu).sort().forEach((k, i) => {
      eps[k] = gaussianNoise(mu[k].shape, 1, seed + 7919 * i);
      params[k] = tf.add(mu[k], tf.mul(tf.exp(this.logSigma[k]), eps[k]));
    });
    return { params, eps };
  }

  /** The prior that minimises L_C for the posterior (μ, log σ): one Gaussian over every weight. */
  prior(mu: Params, logSigma: Params = this.logSigma): Prior {
    const names = Object.keys(mu);
    const count = names.reduce((n, k) => n + mu[k].size, 0);
    const mean = tf.div(tf.addN(names.map((k) => tf.sum(mu[k]))), count) as tf.Scalar;
    const second = tf.addN(
      names.map((k) => tf.sum(tf.add(tf.exp(tf.mul(2, logSigma[k])), tf.square(tf.sub(mu[k], mean))))),
    );
    return { mu: mean, variance: tf.div(second, count) as tf.Scalar };
  }

  /** L_C in nats: Σ_i log(σ_p/σ_i) + (σ_i² + (μ_i − μ_p)²) / 2σ_p² − ½, at the optimal prior. */
  complexity(mu: Params, logSigma: Params = this.logSigma): tf.Scalar {
    const p = this.prior(mu, logSigma);
    const logSigmaP = tf.mul(0.5, tf.log(p.variance));
    return tf.addN(
      Object.keys(mu).map((k) => {
        const spread = tf.add(tf.exp(tf.mul(2, logSigma[k])), tf.square(tf.sub(mu[k], p.mu)));
        return tf.sum(
          tf.sub(tf.add(tf.sub(logSigmaP, logSigma[k]), tf.div(spread, tf.mul(2, p.variance))), 0.5),
        );
      }),
    ) as tf.Scalar;
  }

  /**
   * Gradients of L = L_E + L_C / S, from g = ∂L_E/∂w at the sample drawn with
   * `eps` (see the module's equations): for μ under the parameters' names, for
   * s = log σ under `awn/<name>` (the names of `variables()`).
   */
  gradients(mu: Params, g: Params, eps: Params): Params {
    const { mu: muP, variance } = this.prior(mu);
    const S = this.sequences, out: Params = {};
    for (const k of Object.keys(mu)) {
      const sigma = tf.exp(this.logSigma[k]);
      out[k] = tf.add(g[k], tf.div(tf.sub(mu[k], muP), tf.mul(variance, S)));
      out[`${AWN_PREFIX}${k}`] = tf.add(
        tf.mul(tf.mul(g[k], eps[k]), sigma),
        tf.div(tf.sub(tf.div(tf.square(sigma), variance), 1), S),
      );
    }
    return out;
  }

  /** The σ variables under `awn/<param>`: for the optimiser and for checkpoints. */
  variables(): Record<string, tf.Variable> {
    return Object.fromEntries(Object.entries(this.logSigma).map(([k, v]) => [`${AWN_PREFIX}${k}`, v]));
  }

  /** Restores σ from a checkpoint's `awn/` tensors (names without the prefix). */
  load(saved: Record<string, tf.Tensor>): void {
    for (const [k, t] of Object.entries(saved)) this.logSigma[k].assign(t);
  }

  dispose(): void {
    tf.dispose(Object.values(this.logSigma));
  }
}

/**
 * The optimiser of a run under adaptive noise: log σ by an RMSProp of its own
 * at `learningRate` and `epsilon` (the rest as the network's) when either is
 * given, else everything by the network's. Under the paper's ℸ = 1e−4 the
 * gradients of log σ (the complexity term's is (σ²/σ_p² − 1)/S, about 1e−5 a
 * step) fall far under √ℸ, where a step is ℷ·grad/√ℸ: σ barely moves.
 */
export function sigmaOptimizer(main: Optimizer, o: { learningRate?: number; epsilon?: number }): Optimizer {
  if (o.learningRate === undefined && o.epsilon === undefined) return main;
  if (!(main instanceof RmsProp)) {
    throw new Error(`log σ at a rate of its own needs RMSProp for the network, not ${main.name}`);
  }
  return new PrefixSplit(
    main,
    AWN_PREFIX,
    new RmsProp({
      ...main.cfg,
      learningRate: o.learningRate ?? main.cfg.learningRate,
      epsilon: o.epsilon ?? main.cfg.epsilon,
    }),
  );
}
