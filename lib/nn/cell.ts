/**
 * The recurrent cell H of eqs 1-2 behind one small interface, so that a
 * stack (`lib/models/stack.ts`) runs any cell: the peephole LSTM of eqs 7-11
 * (`lstm`, the paper's and the default), a GRU (`gru`, Cho et al. 2014; not
 * in the paper), or another cell in one new module plus one entry in `CELLS`.
 *
 * The stack owns each layer's input projection — W_x [I, gates·H] and b
 * [gates·H], every step's input projected in one matMul — and hands the cell
 * zx = W_x x_t + b for all t; the cell owns its recurrent weights and its
 * state (h, and c for a cell with a memory; a cell without one carries c
 * through unchanged, so checkpoints and samplers keep one state shape).
 *
 * The native kernels (`lib/backend/native.ts`, the CPU training path and the
 * samplers in C and WebAssembly) implement the LSTM only: any other cell runs
 * on TensorFlow.js ops everywhere (training and sampling), which the run's
 * backend line and `nativeStepper` say.
 * @module
 */
import type * as tf from "../tf.ts";
import type { Params, ParamSpec } from "./params.ts";

/** A recurrent cell: its weights, and its recurrence over projected inputs. */
export interface RecurrentCell {
  /** Its config value: `"lstm"`, `"gru"`. */
  readonly name: string;
  /** Columns of the input projection per unit (LSTM: 4 gates; GRU: 3). */
  readonly gates: number;
  /** Initial values of b's column blocks, `[from, to, value]` in units of H (LSTM: the forget-gate bias). */
  biasColumns(H: number): [number, number, number][];
  /** Specs of the recurrent weights of layer `layer` with H units (the stack adds W_x and b). */
  recurrentSpecs(layer: string, H: number): Record<string, ParamSpec>;
  /**
   * The recurrence over T steps: zx [T, B, gates·H] from (h0, c0) [B, H];
   * every h [T, B, H] (differentiable) and the state after step T. The
   * derivatives reaching the pre-activations are clipped to [−clip, clip]
   * (section 4.2) where the cell says so in its module.
   */
  sequence(
    p: Params,
    layer: string,
    zx: tf.Tensor,
    h0: tf.Tensor,
    c0: tf.Tensor,
    clip: number,
  ): { h: tf.Tensor; hT: tf.Tensor; cT: tf.Tensor };
}
