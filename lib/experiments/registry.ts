/**
 * The paper's experiments (PTB at character and word level, Wikipedia, handwriting, synthesis) and the
 * writer people use (synthesis with digits, not in the paper) by the name commands take
 * (`deno task train|eval|ship|recipe|average <name>`).
 * @module
 */
import type { Experiment } from "./define.ts";
import { PTB } from "./ptb.ts";
import { PTB_WORDS } from "./ptb_words.ts";
import { WIKIPEDIA } from "./wikipedia.ts";
import { HANDWRITING, SYNTHESIS } from "./handwriting.ts";
import { WRITER } from "./writer.ts";
import type { LinesProfile } from "./handwriting.ts";
import type { IamData } from "./iam.ts";
import type { LoadedNetwork } from "./handwriting_report.ts";
import type { SynthesisConfig } from "../models/synthesis.ts";

/** Every experiment, by name. */
// deno-lint-ignore no-explicit-any
export const EXPERIMENTS: Record<string, Experiment<any, any>> = {
  ptb: PTB,
  "ptb-words": PTB_WORDS,
  wikipedia: WIKIPEDIA,
  handwriting: HANDWRITING,
  synthesis: SYNTHESIS,
  writer: WRITER,
};

/**
 * The experiment whose shipped network `deno task write`, the documents and the page write with by default:
 * the writer, which writes digits and marks (issue #57); the paper's synthesis network stays selectable
 * (`--checkpoint results/checkpoints/synthesis`) and is what notebook 04 reproduces.
 */
export const WRITES: Experiment<LinesProfile<SynthesisConfig>, IamData, LoadedNetwork<SynthesisConfig>> =
  WRITER;
