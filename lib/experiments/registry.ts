/**
 * The paper's four experiments by the name commands take
 * (`deno task train|eval|ship|recipe|average <name>`).
 * @module
 */
import type { Experiment } from "./define.ts";
import { PTB } from "./ptb.ts";
import { WIKIPEDIA } from "./wikipedia.ts";
import { HANDWRITING, SYNTHESIS } from "./handwriting.ts";

/** Every experiment, by name. */
// deno-lint-ignore no-explicit-any
export const EXPERIMENTS: Record<string, Experiment<any, any>> = {
  ptb: PTB,
  wikipedia: WIKIPEDIA,
  handwriting: HANDWRITING,
  synthesis: SYNTHESIS,
};
