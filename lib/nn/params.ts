/**
 * Named parameters of a network: a plain record of tensors, so weight noise,
 * optimisers and checkpoints all work on the same names.
 * @module
 */
import * as tf from "../tf.ts";
import { Rng } from "../util/rng.ts";

/** Parameter name → tensor (variables while training). */
export type Params = Record<string, tf.Tensor>;

/** Initial weight scale (uniform ±0.1), not given by the paper. */
export const INIT_SCALE = 0.1;

/** How one parameter starts. */
export interface ParamSpec {
  shape: number[];
  /** `uniform`: U(−scale, scale); `const`: every entry `value` (per-column values via `columns`). */
  init: "uniform" | "const";
  scale?: number;
  value?: number;
  /** For `const` biases: [start, end, value] column ranges overriding `value` (e.g. forget gates). */
  columns?: [number, number, number][];
}

/** Creates trainable variables from specs, drawing from a seeded RNG in name order. */
export function initParams(specs: Record<string, ParamSpec>, seed: number): Record<string, tf.Variable> {
  const rng = new Rng(seed);
  const out: Record<string, tf.Variable> = {};
  for (const name of Object.keys(specs).sort()) {
    const s = specs[name];
    const n = s.shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    if (s.init === "uniform") {
      const a = s.scale ?? 0.1;
      for (let i = 0; i < n; i++) v[i] = (2 * rng.next() - 1) * a;
    } else {
      v.fill(s.value ?? 0);
      const cols = s.shape[s.shape.length - 1];
      for (const [lo, hi, val] of s.columns ?? []) {
        for (let i = 0; i < n; i++) if (i % cols >= lo && i % cols < hi) v[i] = val;
      }
    }
    out[name] = ownedVariable(() => tf.tensor(v, s.shape), true); // tfjs variable names are global: the record key is the name
  }
  return out;
}

/**
 * A variable holding `make()`'s value. The tensor `make` builds is freed: a
 * bare `tf.variable(expr)` shares its data and leaves `expr` alive, one leaked
 * tensor per call.
 */
export function ownedVariable(make: () => tf.Tensor, trainable: boolean): tf.Variable {
  return tf.tidy(() => tf.variable(make(), trainable));
}

/** Variables holding copies of `p`'s tensors, under the same names; the caller disposes them. */
export function variablesOf(p: Params, trainable: boolean): Record<string, tf.Variable> {
  return Object.fromEntries(
    Object.entries(p).map(([k, v]) => [k, ownedVariable(() => v.clone(), trainable)]),
  );
}

/** Named tensors whose names start with `prefix` (`param/`, `opt/`, `state/`), prefix removed. */
export function tensorsWithPrefix(t: Record<string, tf.Tensor>, prefix: string): Record<string, tf.Tensor> {
  return Object.fromEntries(
    Object.entries(t).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]),
  );
}
