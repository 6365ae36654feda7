/**
 * `deno task eval` for the text networks: the flags PTB's character and word
 * networks share (which split, how many zero-started streams, dynamic
 * evaluation by the paper's plain steps or Krause et al.'s RMS rule, a
 * prefix for quick sweeps) and PTB's character scoring (Table 1).
 * @module
 */
import { relative } from "node:path";
import { loadPtb } from "../data/ptb.ts";
import type { RmsDynamicConfig } from "../eval/dynamic_rms.ts";
import { runRecord } from "../report/record.ts";
import { fixed, gap, type HeadlineRow, num, type ReadResult } from "../report/headline.ts";
import { clip } from "../util/text.ts";
import { UsageError } from "../util/errors.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { type Flags, numberFlag, type Scoring } from "./scoring.ts";
import {
  assertSameVocab,
  perplexityFromBpc,
  PTB_DYNAMIC_LR_BY_STREAMS,
  PTB_DYNAMIC_RMS,
  PTB_STREAMS,
  type PtbModel,
  scoreStream,
  streamOutliers,
} from "./ptb_score.ts";

/** The flags of `deno task eval ptb` and `ptb-words`, with their help. */
export const TEXT_FLAGS = {
  split: "valid or test (default test): choose candidates on valid, report on test",
  streams: "zero-started parallel streams (the paper's: 1)",
  "dynamic-lr": "dynamic evaluation's rate (default: the one chosen on validation for the stream count)",
  dynamic:
    "sgd (the paper's plain steps, default) or rms (Krause et al. 2017's rule; one stream, no --dynamic-lr)",
  eta: "with --dynamic rms: its step size η",
  lambda: "with --dynamic rms: its decay λ towards the trained weights",
  prefix: "score only the first n symbols (with --out file: the default files hold whole-set scores)",
} as const;

/** How a text network is scored, from its flags. */
export interface TextScoringFlags {
  split: "valid" | "test";
  /** Zero-started streams the text is cut into. */
  streams: number;
  /** Dynamic evaluation's plain-step rate (ignored under `rms`). */
  dynamicLr: number;
  /** Krause et al.'s RMS rule instead of plain steps, with these settings. */
  rms?: RmsDynamicConfig;
  /** Only the first n symbols. */
  prefix?: number;
}

/**
 * Reads and checks the text flags. `lrByStreams` holds the dynamic rates
 * chosen on validation per stream count, `rmsChosen` the RMS rule's.
 */
export function textScoringFlags(
  flags: Flags,
  o: {
    out?: string;
    defaultStreams: number;
    lrByStreams: Readonly<Record<number, number>>;
    rmsChosen: RmsDynamicConfig;
  },
): TextScoringFlags {
  const split = flags.split ?? "test";
  if (split !== "valid" && split !== "test") {
    throw new UsageError(`--split ${split}: PTB scores the valid or test split`);
  }
  const streams = numberFlag(
    flags,
    "streams",
    (n) => Number.isInteger(n) && n >= 1,
    `a whole number ≥ 1 (default ${o.defaultStreams}; the paper's: 1)`,
  ) ?? o.defaultStreams;
  const prefix = numberFlag(
    flags,
    "prefix",
    (n) => Number.isInteger(n) && n > 0 && o.out !== undefined,
    "a whole number of symbols > 0, with --out file (the default files hold whole-set scores)",
  );
  const chosen = Object.entries(o.lrByStreams).map(([n, r]) => `${r} for ${n}`).join(", ");
  const dynamicLr =
    numberFlag(flags, "dynamic-lr", (r) => r >= 0, `a rate ≥ 0 (chosen on validation: ${chosen})`) ??
      o.lrByStreams[streams];
  if (dynamicLr === undefined) {
    throw new UsageError(
      `--streams ${streams}: no dynamic-evaluation rate chosen for it (${chosen}); give --dynamic-lr r`,
    );
  }
  const rms = flags.dynamic === "rms";
  if (
    flags.dynamic !== undefined && flags.dynamic !== "sgd" &&
    !(rms && streams === 1 && flags["dynamic-lr"] === undefined)
  ) {
    throw new UsageError(
      `--dynamic ${flags.dynamic}: sgd (the default, the paper's plain gradient steps) or rms (Krause et al. 2017's rule, with --streams 1 only, tuned there; no --dynamic-lr)`,
    );
  }
  const cfg = { ...o.rmsChosen };
  for (const k of ["eta", "lambda"] as const) {
    const x = numberFlag(
      flags,
      k,
      (v) => rms && v >= 0,
      `with --dynamic rms only, a number ≥ 0 (chosen: ${cfg[k]})`,
    );
    if (x !== undefined) cfg[k] = x;
  }
  return { split, streams, dynamicLr, rms: rms ? cfg : undefined, prefix };
}

/** PTB's character network (Table 1): static and dynamic BPC, perplexity and error over a split. */
export function ptbCharScoring(open: (dir: string) => Promise<PtbModel>): Scoring {
  return {
    about: "the whole test set, static and with dynamic evaluation, as 32 zero-started parallel streams " +
      "(--streams 1: the paper's one stream, half an hour on 2 cores) → results/01_text_ptb/eval_full.json; " +
      "--split valid → eval_valid.json, to choose candidates without looking at the test set",
    flags: TEXT_FLAGS,
    plan(flags, { checkpoint, out }) {
      const f = textScoringFlags(flags, {
        out,
        defaultStreams: PTB_STREAMS,
        lrByStreams: PTB_DYNAMIC_LR_BY_STREAMS,
        rmsChosen: PTB_DYNAMIC_RMS,
      });
      return async () => {
        const m = await open(checkpoint);
        const data = loadPtb();
        assertSameVocab(m, data);
        const on = f.split;
        const set = on === "test" ? "test" : "validation";
        const text = f.prefix === undefined ? data[on] : data[on].subarray(0, f.prefix);
        const of = f.prefix === undefined ? "" : `of ${data[on].length} `;
        console.log(
          `checkpoint step ${m.step}: ${m.epochs.toFixed(2)} epochs, ${
            m.hours.toFixed(2)
          } h; scoring ${text.length} ${of}${set} characters as ${f.streams} stream${
            f.streams === 1 ? "" : "s"
          }${f.rms ? ", dynamic evaluation by the RMS rule" : ""}`,
        );
        const s = scoreStream(m, text, {
          dynamicLr: f.dynamicLr,
          B: f.streams,
          rms: f.rms ? { train: data.train, cfg: f.rms } : undefined,
        });
        return {
          file: `eval_${on === "test" ? "full" : "valid"}${f.rms ? "_rms" : ""}.json`,
          summary: `${set}: static ${s.static.toFixed(4)} BPC, dynamic ${s.dynamic!.toFixed(4)} BPC`,
          out: {
            checkpoint: relative(PROJECT_ROOT, m.checkpoint.path),
            step: m.step,
            epochs: m.epochs,
            training_hours: m.hours,
            [`${on}_bpc_static`]: s.static,
            [`${on}_bpc_dynamic`]: s.dynamic,
            ...(f.rms ? { dynamic: "rms", dynamic_rms: f.rms } : { dynamic: "sgd", dynamic_lr: f.dynamicLr }),
            streams: f.streams,
            [`${on}_perplexity_static`]: perplexityFromBpc(s.static),
            [`${on}_perplexity_dynamic`]: perplexityFromBpc(s.dynamic!),
            [`${on}_error_static`]: s.error,
            [`${on}_symbols_scored`]: s.symbols,
            // the zero-started streams' static BPC: median, and any worse than twice it
            [`${on}_streams_static`]: streamOutliers(s.streams),
            record: runRecord({
              profile: f.prefix === undefined
                ? `full ${set} set`
                : `the first ${text.length} characters of the ${set} set`,
              data: { [`ptb_${on}_symbols`]: data[on].length },
              config: { ...m.config },
            }),
          },
        };
      };
    },
  };
}

/** The README's PTB character row: test BPC static and dynamic against Table 1's weight-noise row. */
export function ptbCharHeadline(read: ReadResult): HeadlineRow[] {
  const ptb = read("01_text_ptb/eval_full.json"), m = read("01_text_ptb/metrics.json");
  if (!ptb || !m) return [];
  const [s, d] = [num(ptb.test_bpc_static), num(ptb.test_bpc_dynamic)];
  return [{
    experiment: "PTB characters (Table 1)",
    measure: "test BPC, static / dynamic",
    paper: "1.27 / 1.24 (weight noise)",
    ours: `${fixed(s, 3)} / ${fixed(d, 3)}`,
    gap: `${gap(s, 1.27, 3)} / ${gap(d, 1.24, 3)}`,
    how: clip(`${m.label}; ${ptb.streams === 1 ? "one stream" : `${ptb.streams ?? 32} streams`}`),
    sources: ["01_text_ptb/eval_full.json", "01_text_ptb/metrics.json"],
  }];
}
