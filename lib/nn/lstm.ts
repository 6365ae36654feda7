/**
 * The paper's cell as a `RecurrentCell`: the peephole LSTM of eqs 7-11
 * (`lstm_cell.ts` one step, `lstm_sequence.ts` the whole sequence with its
 * hand-written backward pass and the fused native kernels). Per layer:
 * W_h [H, 4H] and the diagonal peepholes [3, H]; b starts with the forget
 * gate's block at `FORGET_BIAS`.
 * @module
 */
import * as tf from "../tf.ts";
import type { RecurrentCell } from "./cell.ts";
import { lstmSequence, lstmStepOp } from "./lstm_sequence.ts";
import { INIT_SCALE } from "./params.ts";

/** Forget-gate bias at initialisation (keeps early memory; not specified by the paper). */
export const FORGET_BIAS = 1;

/** The peephole LSTM (eqs 7-11): the default cell of every network. */
export const LSTM_CELL: RecurrentCell = {
  name: "lstm",
  gates: 4,
  biasColumns: (H) => [[H, 2 * H, FORGET_BIAS]], // [i | f | g | o]: the f block
  recurrentSpecs: (layer, H) => ({
    [`${layer}.Wh`]: { shape: [H, 4 * H], init: "uniform", scale: INIT_SCALE },
    [`${layer}.peep`]: { shape: [3, H], init: "uniform", scale: INIT_SCALE },
  }),
  sequence(p, layer, zx, h0, c0, clip) {
    const [T, B] = zx.shape;
    const Wh = p[`${layer}.Wh`], peep = p[`${layer}.peep`];
    const H = Wh.shape[0];
    if (T === 1) {
      // One step (sampling): the cell directly, without the sequence op's stacking (same maths, eqs 7-11).
      const s = lstmStepOp(tf.reshape(zx, [B, 4 * H]), h0, c0, Wh, peep, clip);
      return { h: tf.reshape(s.h, [1, B, H]), hT: s.h, cT: s.c };
    }
    const { h, cT } = lstmSequence(zx, Wh, peep, h0, c0, clip);
    return { h, hT: tf.reshape(tf.slice(h, [T - 1, 0, 0], [1, B, H]), [B, H]), cT };
  },
};
