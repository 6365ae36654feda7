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
 * A profile names its optimiser and settings as `OptimizerSettings` (typed:
 * a misspelt setting does not type-check). Records written before the rename
 * (`aleph`, `beth`, `gimel`, `daleth`, `lr`) are read by one reader,
 * `readableHyper`.
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

/** SGD-with-momentum hyperparameters (section 3). */
export interface SgdMomentumConfig {
  /** lr, the step on ε. */
  learningRate: number;
  /** m, momentum of the update Δ. */
  momentum: number;
}

/** An optimiser as a profile names it: which one, with its settings typed by it. */
export type OptimizerSettings =
  | { name: "rmsprop"; hyper: RmsPropConfig }
  | { name: "sgd-momentum"; hyper: SgdMomentumConfig };

/** The paper's values for handwriting (section 4.2): ℵ = 0.95, ℶ = 0.9, ℷ = 1e−4, ℸ = 1e−4. */
export const RMSPROP_PAPER: RmsPropConfig = { decay: 0.95, momentum: 0.9, learningRate: 1e-4, epsilon: 1e-4 };

/** The names records used before settings were renamed, and the readable name of each. */
const LEGACY_HYPER_NAMES: Readonly<Record<string, string>> = {
  aleph: "decay",
  beth: "momentum",
  gimel: "learningRate",
  daleth: "epsilon",
  lr: "learningRate",
};

/** The readable name of an optimiser setting, a pre-rename one (`gimel`, `lr`, …) included. */
export const readableHyperName = (k: string): string => LEGACY_HYPER_NAMES[k] ?? k;

/** `hyper` with any pre-rename key under its readable name (run folders written before the rename). */
export function readableHyper(hyper: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(hyper).map(([k, v]) => [readableHyperName(k), v]));
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

/**
 * Two optimisers as one: variables whose names start with `prefix` are
 * updated by `other` (e.g. adaptive noise's log σ at a rate of its own), the
 * rest by `main`. Slots keep their names (`<slot>/<name>`), so a checkpoint
 * reads the same whichever optimiser held them.
 */
export class PrefixSplit implements Optimizer {
  constructor(readonly main: Optimizer, readonly prefix: string, readonly other: Optimizer) {}
  get name(): string {
    return this.main.name;
  }
  get hyper(): Record<string, number> {
    return this.main.hyper;
  }
  apply(vars: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
    const mine = (k: string) => k.startsWith(this.prefix);
    const pick = (keep: boolean) =>
      Object.fromEntries(Object.entries(grads).filter(([k]) => mine(k) === keep));
    this.main.apply(vars, pick(false));
    this.other.apply(vars, pick(true));
  }
  slots(): Record<string, tf.Tensor> {
    return { ...this.main.slots(), ...this.other.slots() };
  }
  loadSlots(s: Record<string, tf.Tensor>): void {
    const mine = (key: string) => key.slice(key.indexOf("/") + 1).startsWith(this.prefix);
    this.main.loadSlots(Object.fromEntries(Object.entries(s).filter(([k]) => !mine(k))));
    this.other.loadSlots(Object.fromEntries(Object.entries(s).filter(([k]) => mine(k))));
  }
}

/** Builds the optimiser a profile names. */
export function optimizerFrom(o: OptimizerSettings): Optimizer {
  switch (o.name) {
    case "rmsprop":
      return new RmsProp({ ...o.hyper });
    case "sgd-momentum":
      return new SgdMomentum(o.hyper.learningRate, o.hyper.momentum);
  }
}

/**
 * An optimiser as a record stores it (`optimizer` or `profile.optimizer` of a
 * checkpoint's meta), pre-rename names read as readable ones, checked
 * complete: the one reader of records' optimiser settings.
 */
export function optimizerRecord(raw: { name: string; hyper: Record<string, number> }): OptimizerSettings {
  const h = readableHyper(raw.hyper);
  const need = raw.name === "rmsprop"
    ? ["decay", "momentum", "learningRate", "epsilon"]
    : raw.name === "sgd-momentum"
    ? ["learningRate", "momentum"]
    : undefined;
  if (!need) throw new Error(`unknown optimizer ${raw.name}`);
  const missing = need.filter((k) => typeof h[k] !== "number");
  if (missing.length) throw new Error(`the record's ${raw.name} settings lack ${missing.join(", ")}`);
  const pick = Object.fromEntries(need.map((k) => [k, h[k]]));
  return raw.name === "rmsprop"
    ? { name: "rmsprop", hyper: pick as Record<keyof RmsPropConfig, number> }
    : { name: "sgd-momentum", hyper: pick as Record<keyof SgdMomentumConfig, number> };
}
