/**
 * The paper's optimisers, with state held in named slots so checkpoints can
 * store and restore them exactly.
 *
 * RMSProp as in section 4.2 (eqs 38-45), with ε = ∂L/∂w:
 *   n = ℵ n + (1 − ℵ) ε²          (39)
 *   g = ℵ g + (1 − ℵ) ε           (40)
 *   Δ = ℶ Δ − ℷ ε / √(n − g² + ℸ)  (41)
 *   w = w + Δ                      (42)
 * with ℵ = 0.95, ℶ = 0.9, ℷ = 1e−4, ℸ = 1e−4.
 *
 * SGD with momentum (section 3): Δ = m Δ − lr ε, w = w + Δ.
 *
 * Settings carry readable names, each with the paper's symbol: `decay` (ℵ),
 * `momentum` (ℶ, or SGD's m), `learningRate` (ℷ, or SGD's lr), `epsilon` (ℸ).
 * Records written before the rename (`aleph`, `beth`, `gimel`, `daleth`,
 * `lr`) are read through `readableHyper`.
 * @module
 */
import * as tf from "../tf.ts";
import { ownedVariable } from "../nn/params.ts";
import { hasNativeKernel, RMSPROP } from "../backend/native.ts";

/** An optimiser over named variables. */
export interface Optimizer {
  /** e.g. "rmsprop". */
  readonly name: string;
  /** Its hyperparameters, for run records. */
  readonly hyper: Record<string, number>;
  /** Applies one update from gradients (same names as `vars`). */
  apply(vars: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void;
  /** Slot tensors by `<slot>/<param>` (for checkpoints). */
  slots(): Record<string, tf.Tensor>;
  /** Restores slots saved by `slots()`. */
  loadSlots(s: Record<string, tf.Tensor>): void;
}

/** RMSProp hyperparameters (eqs 38-45). */
export interface RmsPropConfig {
  /** ℵ, decay of the running averages n and g (eqs 39-40). */
  decay: number;
  /** ℶ, momentum of the update Δ (eq 41). */
  momentum: number;
  /** ℷ, learning rate (eq 41). */
  learningRate: number;
  /** ℸ, stabiliser under the square root (eq 41). */
  epsilon: number;
}

/** The paper's values for handwriting (section 4.2): ℵ = 0.95, ℶ = 0.9, ℷ = 1e−4, ℸ = 1e−4. */
export const RMSPROP_PAPER: RmsPropConfig = { decay: 0.95, momentum: 0.9, learningRate: 1e-4, epsilon: 1e-4 };

/** The names records used before settings were renamed, and the readable name of each. */
export const LEGACY_HYPER_NAMES: Record<string, string> = {
  aleph: "decay",
  beth: "momentum",
  gimel: "learningRate",
  daleth: "epsilon",
  lr: "learningRate",
};

/** `hyper` with any pre-rename key (`gimel`, `lr`, …) under its readable name. */
export function readableHyper(hyper: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(hyper).map(([k, v]) => [LEGACY_HYPER_NAMES[k] ?? k, v]));
}

class SlotOptimizer {
  protected state = new Map<string, tf.Variable>();
  constructor(readonly slotNames: string[]) {}

  protected slot(slot: string, name: string, like: tf.Tensor): tf.Variable {
    const key = `${slot}/${name}`;
    let v = this.state.get(key);
    if (!v) {
      v = ownedVariable(() => tf.zerosLike(like), false);
      this.state.set(key, v);
    }
    return v;
  }

  slots(): Record<string, tf.Tensor> {
    return Object.fromEntries(this.state);
  }

  loadSlots(s: Record<string, tf.Tensor>): void {
    for (const [key, t] of Object.entries(s)) {
      const v = this.state.get(key);
      if (v) v.assign(t);
      else this.state.set(key, ownedVariable(() => t.clone(), false));
    }
  }
}

/** RMSProp of eqs 38-45. */
export class RmsProp extends SlotOptimizer implements Optimizer {
  readonly name = "rmsprop";
  constructor(readonly cfg: RmsPropConfig = RMSPROP_PAPER) {
    super(["n", "g", "delta"]);
  }
  get hyper(): Record<string, number> {
    return { ...this.cfg };
  }
  apply(vars: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
    const { decay: aleph, momentum: beth, learningRate: gimel, epsilon: daleth } = this.cfg; // ℵ ℶ ℷ ℸ
    const native = hasNativeKernel(RMSPROP);
    for (const [name, eps] of Object.entries(grads)) {
      const w = vars[name];
      const n = this.slot("n", name, w), g = this.slot("g", name, w), d = this.slot("delta", name, w);
      if (native) {
        // eqs 39-42 in one pass (lib/backend/native/train.c)
        const [w2, n2, g2, d2] = tf.engine().runKernel(RMSPROP, { w, eps, n, g, d }, {
          ...this.cfg,
        }) as tf.Tensor[];
        w.assign(w2);
        n.assign(n2);
        g.assign(g2);
        d.assign(d2);
        tf.dispose([w2, n2, g2, d2]); // the variables hold their own references
        continue;
      }
      tf.tidy(() => {
        const n2 = tf.add(tf.mul(aleph, n), tf.mul(1 - aleph, tf.square(eps))); // eq 39
        const g2 = tf.add(tf.mul(aleph, g), tf.mul(1 - aleph, eps)); // eq 40
        const d2 = tf.sub(
          tf.mul(beth, d),
          tf.div(tf.mul(gimel, eps), tf.sqrt(tf.add(tf.sub(n2, tf.square(g2)), daleth))),
        ); // eq 41
        n.assign(n2);
        g.assign(g2);
        d.assign(d2);
        w.assign(tf.add(w, d2)); // eq 42
      });
    }
  }
}

/** SGD with momentum. */
export class SgdMomentum extends SlotOptimizer implements Optimizer {
  readonly name = "sgd-momentum";
  constructor(readonly learningRate: number, readonly momentum: number) {
    super(["delta"]);
  }
  get hyper(): Record<string, number> {
    return { learningRate: this.learningRate, momentum: this.momentum };
  }
  apply(vars: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
    for (const [name, eps] of Object.entries(grads)) {
      const w = vars[name], d = this.slot("delta", name, w);
      tf.tidy(() => {
        const d2 = tf.sub(tf.mul(this.momentum, d), tf.mul(this.learningRate, eps));
        d.assign(d2);
        w.assign(tf.add(w, d2));
      });
    }
  }
}

/** Builds an optimiser from its record (checkpoints store name + hyper; pre-rename names are read too). */
export function optimizerFrom(name: string, hyper: Record<string, number>): Optimizer {
  const h = readableHyper(hyper);
  if (name === "rmsprop") return new RmsProp(h as unknown as RmsPropConfig);
  if (name === "sgd-momentum") return new SgdMomentum(h.learningRate, h.momentum);
  throw new Error(`unknown optimizer ${name}`);
}
