/**
 * The recurrent cells a network's config may name (`cell` in `TextConfig`
 * and `HandwritingConfig`; default the paper's LSTM). A new cell is one module
 * implementing `RecurrentCell` and one entry here.
 * @module
 */
import type { RecurrentCell } from "./cell.ts";
import { GRU_CELL } from "./gru.ts";
import { LSTM_CELL } from "./lstm.ts";

/** The cells by config name. */
export const CELLS: Readonly<Record<string, RecurrentCell>> = { lstm: LSTM_CELL, gru: GRU_CELL };

/** A config's cell name. */
export type CellName = "lstm" | "gru";

/** The cell a config names (undefined: the LSTM); an unknown name is refused with the ones there are. */
export function cellOf(name: string | undefined): RecurrentCell {
  const cell = CELLS[name ?? "lstm"];
  if (!cell) throw new Error(`unknown cell "${name}": ${Object.keys(CELLS).join(", ")}`);
  return cell;
}
