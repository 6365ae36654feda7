/**
 * Deep recurrent stacks with the paper's skip connections (section 2, eqs
 * 1-3): the input feeds every hidden layer, each layer feeds the next, and
 * every hidden layer feeds the output layer. H is the config's cell
 * (`lib/nn/cells.ts`): the peephole LSTM of eqs 7-11 unless it names another.
 *
 *   h¹_t = H(W_{ih¹} x_t + W_{h¹h¹} h¹_{t−1} + b¹_h)                          (1)
 *   hⁿ_t = H(W_{ihⁿ} x_t + W_{hⁿ⁻¹hⁿ} hⁿ⁻¹_t + W_{hⁿhⁿ} hⁿ_{t−1} + bⁿ_h)       (2)
 *   ŷ_t = b_y + Σ_n W_{hⁿy} hⁿ_t                                             (3)
 * @module
 */
import * as tf from "../tf.ts";
import { INIT_SCALE, type Params, type ParamSpec } from "../nn/params.ts";
import { lookupRows } from "../nn/lookup.ts";
import type { RecurrentCell } from "../nn/cell.ts";
import { LSTM_CELL } from "../nn/lstm.ts";

/**
 * One-hot inputs given as their codes: the first K rows of W_x are looked up
 * (`lookupRows`) instead of multiplied by a [T, B, K] one-hot tensor — the same
 * maths, for vocabularies too large for a dense product (PTB's 10,000 words).
 */
export interface SymbolInput {
  /** Codes, [T, B] int32 (time-major). */
  codes: tf.Tensor;
  /** K, the size of the one-hot vectors they stand for. */
  symbols: number;
}

const isSymbols = (x: tf.Tensor | SymbolInput): x is SymbolInput => "symbols" in x && "codes" in x;

/** The recurrent state of a stack: per layer h and c, each [B, H] (c passes unchanged through a cell without a memory). */
export interface StackState {
  h: tf.Tensor[];
  c: tf.Tensor[];
}

/** Parameter specs for layer `name` of `cell` with `inputs` input units and H cells: W_x, b, and the cell's own. */
export function layerSpecs(
  name: string,
  inputs: number,
  H: number,
  cell: RecurrentCell = LSTM_CELL,
): Record<string, ParamSpec> {
  const G = cell.gates * H;
  return {
    [`${name}.Wx`]: { shape: [inputs, G], init: "uniform", scale: INIT_SCALE },
    ...cell.recurrentSpecs(name, H),
    [`${name}.b`]: { shape: [G], init: "const", value: 0, columns: cell.biasColumns(H) },
  };
}

/** The name of layer n (from 1) of a stack of `cell`s: `lstm1`, … for the paper's (as its checkpoints name them), `gru1`, …. */
export const layerName = (cell: RecurrentCell, n: number): string => `${cell.name}${n}`;

/** Specs for a stack of `layers` × H cells over `inputs` inputs (+ `extra` inputs to layers ≥ `extraFrom`). */
export function stackSpecs(
  inputs: number,
  H: number,
  layers: number,
  extra = 0,
  extraFrom = 1,
  cell: RecurrentCell = LSTM_CELL,
): Record<string, ParamSpec> {
  let specs: Record<string, ParamSpec> = {};
  for (let n = 0; n < layers; n++) {
    const I = inputs + (n > 0 ? H : 0) + (n >= extraFrom ? extra : 0);
    specs = { ...specs, ...layerSpecs(layerName(cell, n + 1), I, H, cell) };
  }
  return specs;
}

/** Zero state for B sequences. */
export function zeroState(B: number, H: number, layers: number): StackState {
  return {
    h: Array.from({ length: layers }, () => tf.zeros([B, H])),
    c: Array.from({ length: layers }, () => tf.zeros([B, H])),
  };
}

/**
 * One layer over a sequence: the input projection of all T steps as one
 * matMul (a row lookup for a `SymbolInput`), then the cell's recurrence.
 * @param inputs tensors [T, B, ·] concatenated along the last axis; a `SymbolInput` comes first
 */
export function cellLayer(
  p: Params,
  name: string,
  inputs: (tf.Tensor | SymbolInput)[],
  h0: tf.Tensor,
  c0: tf.Tensor,
  clip: number,
  cell: RecurrentCell = LSTM_CELL,
): { h: tf.Tensor; hT: tf.Tensor; cT: tf.Tensor } {
  const Wx = p[`${name}.Wx`];
  const H = h0.shape[1]!, G = cell.gates * H;
  const B = h0.shape[0];
  const first = inputs[0];
  const lookup = isSymbols(first) ? first : undefined;
  const dense = (lookup ? inputs.slice(1) : inputs) as tf.Tensor[];
  const T = lookup ? lookup.codes.shape[0] : dense[0].shape[0];
  // [T·B, I] × [I, 4H] → [T·B, 4H]; a lookup takes rows 0..K−1 of W_x, the dense inputs the rest
  const parts: tf.Tensor[] = [];
  if (lookup) parts.push(lookupRows(Wx, tf.reshape(lookup.codes, [-1])));
  if (dense.length) {
    const x = dense.length === 1 ? dense[0] : tf.concat(dense, 2);
    const I = x.shape[2]!, K = lookup?.symbols ?? 0;
    const W = lookup ? tf.slice(Wx, [K, 0], [I, G]) : Wx;
    parts.push(tf.matMul(tf.reshape(x, [T * B, I]), W));
  }
  const z = parts.length === 1 ? parts[0] : tf.add(parts[0], parts[1]);
  const zx = tf.reshape(tf.add(z, p[`${name}.b`]), [T, B, G]);
  return cell.sequence(p, name, zx, h0, c0, clip);
}

/**
 * Runs the stack of eqs 1-2 over x [T, B, I] (or symbol codes) from `state`; `extra` [T, B, E]
 * (the synthesis window) joins the input of layers ≥ `extraFrom`.
 * Returns every layer's outputs [T, B, H] and the state after step T.
 */
export function stackForward(
  p: Params,
  x: tf.Tensor | SymbolInput,
  state: StackState,
  clip: number,
  extra?: tf.Tensor,
  extraFrom = 1,
  firstLayer = 0,
  below?: tf.Tensor,
  cell: RecurrentCell = LSTM_CELL,
): { hs: tf.Tensor[]; state: StackState } {
  const hs: tf.Tensor[] = [];
  const next: StackState = { h: [...state.h], c: [...state.c] };
  let prev = below;
  for (let n = firstLayer; n < state.h.length; n++) {
    const inputs: (tf.Tensor | SymbolInput)[] = [x];
    if (prev) inputs.push(prev); // eq 2: the layer below
    if (extra && n >= extraFrom) inputs.push(extra);
    const out = cellLayer(p, layerName(cell, n + 1), inputs, state.h[n], state.c[n], clip, cell);
    hs.push(out.h);
    next.h[n] = out.hT;
    next.c[n] = out.cT;
    prev = out.h;
  }
  return { hs, state: next };
}

/** Output-layer specs: every hidden layer → K outputs (eq 3). */
export function outputSpecs(H: number, layers: number, K: number): Record<string, ParamSpec> {
  return {
    "out.W": { shape: [layers * H, K], init: "uniform", scale: INIT_SCALE },
    "out.b": { shape: [K], init: "const", value: 0 },
  };
}

/** ŷ = b_y + Σ_n W_{hⁿy} hⁿ_t for all steps, [T·B, K] (time-major rows) (eq 3). */
export function outputLayer(p: Params, hs: tf.Tensor[]): tf.Tensor {
  const [T, B] = hs[0].shape;
  const h = hs.length === 1 ? hs[0] : tf.concat(hs, 2); // [T, B, N·H]
  return tf.add(tf.matMul(tf.reshape(h, [T * B, h.shape[2]!]), p["out.W"]), p["out.b"]); // [T·B, N·H] × [N·H, K]
}

/** Keeps a state's tensors alive past the enclosing tidy. */
export function keepState(s: StackState): StackState {
  return { h: s.h.map((t) => tf.keep(t)), c: s.c.map((t) => tf.keep(t)) };
}

/** Disposes a state's tensors. */
export function disposeState(s: StackState): void {
  tf.dispose([...s.h, ...s.c]);
}
