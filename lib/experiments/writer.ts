/**
 * The writer people use (issue #57; not in the paper): section 5's synthesis
 * network over 76 character classes (`PEOPLE_CHARSET`: the paper's 57, then
 * `' - ? ! : ; ( ) #` and the digits each as its own class), so dates, times,
 * prices and lists come out as what they say. It is fine-tuned from the
 * paper's synthesis network (`deno task train writer --from
 * results/checkpoints/synthesis`), whose input weights are widened: each new
 * class's column of the window's input weights (`lstm1.Ww` and the window rows
 * of `lstm2.Wx`, `lstm3.Wx`) starts as the non-letter class's, so before any
 * training the writer writes exactly what the paper's network writes. The
 * paper's network stays for Table 4 and notebook 04.
 * @module
 */
import * as tf from "../tf.ts";
import { SYNTHESIS_PAPER, type SynthesisConfig } from "../models/synthesis.ts";
import { PAPER_CHARSET, PEOPLE_CHARSET } from "../data/iamondb/charset.ts";
import type { CheckpointMeta } from "../runs/checkpoint.ts";
import type { IamData } from "./iam.ts";
import type { Experiment } from "./define.ts";
import type { LoadedNetwork } from "./handwriting_report.ts";
import {
  linesExperiment,
  type LinesProfile,
  SYNTHESIS_NETWORK,
  SYNTHESIS_PROFILE_PAPER,
} from "./handwriting.ts";

/** The synthesis network of section 5 over `PEOPLE_CHARSET`'s 76 classes. */
export const WRITER_MODEL: SynthesisConfig = { ...SYNTHESIS_PAPER, charClasses: PEOPLE_CHARSET.size };

/**
 * Fine-tuning the widened paper network: the paper's RMSProp at its learning
 * rate 1e−4 (the new classes start from nothing they can tell apart), on to
 * 40 epochs counted from the paper network's start.
 */
export const WRITER_PROFILE_PAPER: LinesProfile<SynthesisConfig> = {
  ...SYNTHESIS_PROFILE_PAPER,
  why: "the writer: section 5's network with digits and marks as their own classes (76), fine-tuned",
  model: WRITER_MODEL,
  epochs: 40,
};

/**
 * The same with the lines that hold digits seen six times an epoch (348 of
 * 10,740 training lines; 997 digits, "8" 39 times): after 1.2 epochs of
 * `paper` the writer drew 0, 1 and 2 and lost its place in longer numbers
 * (Tesseract read 16% of the digits in order). Not in the paper.
 */
export const WRITER_PROFILE_DIGITS: LinesProfile<SynthesisConfig> = {
  ...WRITER_PROFILE_PAPER,
  name: "paper-digits",
  why: "the writer, lines with digits oversampled 6x per epoch (digits are 0.3% of the characters)",
  oversample: { chars: "0123456789", times: 6 },
};

/** CI smoke run. */
export const WRITER_PROFILE_QUICK: LinesProfile<SynthesisConfig> = {
  ...WRITER_PROFILE_PAPER,
  name: "quick",
  why: "CI smoke run",
  epochs: 0.005,
  evalEvery: 0,
  checkpointEvery: 0,
};

/** Profiles by name. */
export const WRITER_PROFILES = {
  paper: WRITER_PROFILE_PAPER,
  "paper-digits": WRITER_PROFILE_DIGITS,
  quick: WRITER_PROFILE_QUICK,
};

/** Appends `n` copies of row `r` of a [R, C] matrix: [R + n, C]. */
function appendRows(m: tf.Tensor, r: number, n: number): tf.Tensor {
  return tf.tidy(() => {
    const row = tf.slice(m, [r, 0], [1, m.shape[1]!]);
    return tf.concat([m, tf.tile(row, [n, 1])], 0);
  });
}

/**
 * A paper-charset synthesis checkpoint as the writer's seed: the window's
 * input weights gain one row per new class, copied from the non-letter
 * class's (rows of `lstm1.Ww` [57, 4H] → [76, 4H]; the window's rows at the
 * end of `lstmN.Wx` [3 + H + 57, 4H] → [3 + H + 76, 4H]); everything else as
 * it was. Only the weights come along: a widened network restarts its
 * optimiser.
 */
export function widenToPeople(
  tensors: Record<string, tf.Tensor>,
  meta: CheckpointMeta,
): { tensors: Record<string, tf.Tensor>; meta: CheckpointMeta } {
  const data = meta.data as { charset: { name: string; symbols: string[] } };
  if (data.charset.name !== "paper") {
    throw new Error(
      `the writer widens a network of the paper's 57 classes; this one has ${data.charset.name}`,
    );
  }
  const old = PAPER_CHARSET.size, added = PEOPLE_CHARSET.size - old;
  const other = PAPER_CHARSET.symbols.indexOf("·");
  const model = (meta.profile as { model: SynthesisConfig }).model;
  const out: Record<string, tf.Tensor> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (!k.startsWith("param/")) continue; // optimiser slots and state: restart
    if (k === "param/lstm1.Ww") out[k] = appendRows(t, other, added);
    else if (/^param\/lstm[2-9]\.Wx$/.test(k)) {
      // rows: pen (3), the layer below (H), then the window's classes
      out[k] = appendRows(t, 3 + model.cells + other, added);
    } else out[k] = t;
  }
  return {
    tensors: out,
    meta: {
      ...meta,
      experiment: "writer",
      profile: { ...(meta.profile as object), model: { ...model, charClasses: PEOPLE_CHARSET.size } },
      data: { ...data, charset: { name: PEOPLE_CHARSET.name, symbols: PEOPLE_CHARSET.symbols } },
      widenedFrom: {
        experiment: meta.experiment,
        classes: `${old} → ${PEOPLE_CHARSET.size}: ${added} new, each from the non-letter class`,
      },
    },
  };
}

/** The writer: synthesis over `PEOPLE_CHARSET`, seeded from the paper's synthesis network. */
export const WRITER: Experiment<LinesProfile<SynthesisConfig>, IamData, LoadedNetwork<SynthesisConfig>> =
  linesExperiment("writer", WRITER_PROFILES, SYNTHESIS_NETWORK, {
    results: "writer",
    writes: true,
    charset: "people",
    seedsFrom: { experiment: "synthesis", convert: widenToPeople },
  });
