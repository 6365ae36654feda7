/**
 * `deno task eval <ptb|ptb-words|wikipedia|handwriting|synthesis> [--checkpoint dir] [--out file]`:
 * scores a checkpoint (default: the shipped one) on the whole held-out set and
 * writes `eval_full.json` beside the notebook's results (or to `--out`), which
 * the notebook shows beside its own quick numbers when the steps match.
 *
 * - ptb: the whole test set, static and with dynamic evaluation, as 32
 *   zero-started parallel streams (minutes; `--streams 1`: one stream, as the
 *   paper, half an hour on a 2-core CPU); `results/01_text_ptb/eval_full.json`.
 *   `--split valid` scores the validation set instead (`eval_valid.json`), to
 *   choose between candidate checkpoints without looking at the test set.
 *   `--dynamic-lr r` sets dynamic evaluation's rate (default: the one chosen
 *   for the stream count, `PTB_DYNAMIC_LR_BY_STREAMS`), recorded as
 *   `dynamic_lr` beside `streams`. `--prefix n --out file` scores only the
 *   first n characters (a quick sweep of the rate).
 * - ptb-words: the word network, one stream (`lib/cli/eval_words.ts`), the
 *   same flags; `--dynamic rms` there too.
 * - wikipedia: the whole validation split of the enwik8 copy found, static
 *   and dynamic; `results/02_text_wikipedia/eval_full.json`.
 * - handwriting, synthesis: all 1,438 validation lines (`--lines select` or
 *   `report`: one fixed half, `eval_select.json` / `eval_report.json`;
 *   candidates are chosen on the selection half), nats per sequence and
 *   SSE per point (Tables 3-4); `results/03_handwriting_prediction/` and
 *   `results/04_handwriting_synthesis/`.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { join, relative } from "node:path";
import { initBackend } from "../backend.ts";
import { loadPtb } from "../data/ptb.ts";
import { PTB_SHIPPED } from "../experiments/ptb.ts";
import { loadWikipediaModel } from "../experiments/wikipedia.ts";
import {
  assertSameVocab,
  loadPtbModel,
  perplexityFromBpc,
  PTB_DYNAMIC_LR_BY_STREAMS,
  PTB_DYNAMIC_RMS,
  PTB_STREAMS,
  scoreStream,
  streamOutliers,
} from "../experiments/ptb_score.ts";
import { loadEnwik8 } from "../data/enwik8.ts";
import { type FullValidation, loadNetwork } from "../experiments/handwriting_report.ts";
import { prepareIam, validationLines, type ValidLines } from "../experiments/iam.ts";
import { shippedDir } from "../runs/run.ts";
import type { HandwritingConfig } from "../models/handwriting.ts";
import type { SynthesisConfig } from "../models/synthesis.ts";
import { evaluateHandwriting, evaluateSynthesis } from "../eval/evaluate.ts";
import { recordTiming, resultsDir, runRecord } from "../report/record.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { refuseExtraArguments } from "./args.ts";
import { assertWritableFile, writeFileAtomic } from "../util/files.ts";
import { UsageError } from "./errors.ts";
import { evalPtbWords, WORDS_DYNAMIC_RMS } from "./eval_words.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage([import.meta.url, new URL("./eval_words.ts", import.meta.url).href]);

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    checkpoint: { type: "string" },
    out: { type: "string" },
    split: { type: "string" },
    "dynamic-lr": { type: "string" },
    streams: { type: "string" },
    prefix: { type: "string" },
    lines: { type: "string" },
    dynamic: { type: "string" },
    eta: { type: "string" },
    lambda: { type: "string" },
  },
});
refuseExtraArguments(positionals, 1, "a checkpoint other than the shipped one is given as --checkpoint dir");
const what = positionals[0];
const isPtb = what === "ptb" || what === "ptb-words"; // PTB at character or word level: valid or test
const split = values.split ?? (isPtb ? "test" : "valid");
const EVALS: Record<string, () => Promise<void>> = {
  ptb: evalPtb,
  "ptb-words": () =>
    evalPtbWords({
      split: split as "valid" | "test",
      streams,
      dynamicLr: values["dynamic-lr"],
      checkpoint: values.checkpoint,
      out: values.out,
      prefix,
      rms: rms ? rmsCfg : undefined,
      t0,
    }),
  wikipedia: evalWikipedia,
  handwriting: () => evalLines("handwriting"),
  synthesis: () => evalLines("synthesis"),
};
if (!EVALS[what]) {
  console.error(
    `usage: deno task eval <${
      Object.keys(EVALS).join("|")
    }> [--checkpoint dir] [--out file] [--split valid|test] [--streams n] [--dynamic-lr r | --dynamic rms [--eta η] [--lambda λ]] [--prefix n --out file]`,
  );
  Deno.exit(2);
}
if (split !== "valid" && (!isPtb || split !== "test")) {
  console.error(
    `--split ${split}: ${
      isPtb ? "PTB scores the valid or test split" : `${what} scores its validation set only`
    }`,
  );
  Deno.exit(2);
}
const streams = values.streams === undefined
  ? (what === "ptb-words" ? 1 : PTB_STREAMS)
  : Number(values.streams);
if (!(Number.isInteger(streams) && streams >= 1) || (values.streams !== undefined && !isPtb)) {
  console.error(
    `--streams ${values.streams}: PTB only, a whole number ≥ 1 (default ${PTB_STREAMS}; the paper's: 1)`,
  );
  Deno.exit(2);
}
// handwriting and synthesis: choose on the selection half of the validation lines, report on the other
if (
  values.lines !== undefined &&
  (!["select", "report", "all"].includes(values.lines) || !what.match(/^(handwriting|synthesis)$/))
) {
  throw new UsageError(
    `--lines ${values.lines}: handwriting or synthesis only, select, report or all (default all)`,
  );
}
const linesFlag = values.lines as ValidLines | undefined;
const prefix = values.prefix === undefined ? undefined : Number(values.prefix);
if (prefix !== undefined && !(isPtb && Number.isInteger(prefix) && prefix > 0 && values.out)) {
  console.error(
    `--prefix ${values.prefix}: PTB only, a whole number of characters > 0, with --out file (the default files hold whole-set scores)`,
  );
  Deno.exit(2);
}
const chosen = Object.entries(PTB_DYNAMIC_LR_BY_STREAMS).map(([n, r]) => `${r} for ${n}`).join(", ");
const dynamicLr = values["dynamic-lr"] === undefined
  ? PTB_DYNAMIC_LR_BY_STREAMS[streams]
  : Number(values["dynamic-lr"]);
if (dynamicLr === undefined) {
  console.error(
    `--streams ${streams}: no dynamic-evaluation rate chosen for it (${chosen}); give --dynamic-lr r`,
  );
  Deno.exit(2);
}
if (!(dynamicLr >= 0) || (values["dynamic-lr"] !== undefined && !isPtb)) {
  console.error(
    `--dynamic-lr ${values["dynamic-lr"]}: PTB only, a rate ≥ 0 (chosen on validation: ${chosen})`,
  );
  Deno.exit(2);
}
const rms = values.dynamic === "rms";
if (
  values.dynamic !== undefined &&
  !(values.dynamic === "sgd" ||
    (rms && isPtb && streams === 1 && values["dynamic-lr"] === undefined))
) {
  console.error(
    `--dynamic ${values.dynamic}: sgd (the default, the paper's plain gradient steps) or rms (Krause et al. 2017's rule, PTB's characters or words with --streams 1 only, tuned there; no --dynamic-lr)`,
  );
  Deno.exit(2);
}
const rmsChosen = what === "ptb-words" ? WORDS_DYNAMIC_RMS : PTB_DYNAMIC_RMS;
const rmsCfg = { ...rmsChosen };
for (const k of ["eta", "lambda"] as const) {
  if (values[k] === undefined) continue;
  rmsCfg[k] = Number(values[k]);
  if (!(rms && rmsCfg[k] >= 0)) {
    console.error(
      `--${k} ${values[k]}: with --dynamic rms only, a number ≥ 0 (chosen: ${rmsChosen[k]})`,
    );
    Deno.exit(2);
  }
}
// where the scores go is checked before the scoring (minutes to hours)
if (values.out) {
  try {
    assertWritableFile(values.out, { what: "--out" });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
const t0 = performance.now();
await initBackend();
try {
  await EVALS[what]();
} catch (e) {
  console.error((e as Error).message); // bad input: the message names the file and what to do
  Deno.exit(1);
}

function write(notebook: string, out: object, summary: string, file = "eval_full.json"): void {
  const path = values.out ?? join(resultsDir(notebook), file);
  console.log(summary); // the score first: a failed write never loses it
  writeFileAtomic(path, JSON.stringify(out, null, 2) + "\n");
  recordTiming(`deno task eval ${Deno.args.join(" ")}`, (performance.now() - t0) / 1000);
  console.log(`→ ${relative(PROJECT_ROOT, path)}`);
}

/** Handwriting prediction or synthesis: all validation lines, nats per sequence and SSE per point. */
async function evalLines(kind: "handwriting" | "synthesis"): Promise<void> {
  const dir = values.checkpoint ?? shippedDir(kind);
  const net = await loadNetwork<HandwritingConfig & SynthesisConfig>(dir, { experiment: kind });
  if (!net) {
    console.error(`${dir}: no checkpoint; train one with deno task train ${kind}`);
    Deno.exit(1);
  }
  const data = await prepareIam();
  const which = linesFlag ?? "all";
  const { lines, ids } = validationLines(data, which);
  const set = which === "all" ? "all" : `the ${which} half of the`;
  console.log(`checkpoint step ${net.step}: ${net.label}; scoring ${set} ${lines.length} validation lines`);
  const s = kind === "synthesis"
    ? evaluateSynthesis(net.params, net.config, lines)
    : evaluateHandwriting(net.params, net.config, lines);
  const out: FullValidation & { record: unknown } = {
    checkpoint: relative(PROJECT_ROOT, dir),
    step: net.step,
    epochs: net.epochs,
    training_hours: net.hours,
    trained_under: net.trainedUnder,
    valid_nats_per_sequence: s.natsPerSequence,
    valid_sse_per_point: s.ssePerPoint,
    valid_lines_scored: s.lines,
    valid_lines: which,
    record: runRecord({
      profile: which === "all" ? "full validation set" : `the ${which} half of the validation set`,
      data: {
        iamondb: data.db.fingerprint,
        split: data.split.how,
        valid_lines: which,
        lines: lines.length,
        line_ids_md5: ids,
      },
      config: net.config as unknown as Record<string, unknown>,
    }),
  };
  const summary = `${s.natsPerSequence.toFixed(1)} nats per sequence, SSE ${
    s.ssePerPoint.toFixed(3)
  } per point`;
  write(
    kind === "synthesis" ? "04_handwriting_synthesis" : "03_handwriting_prediction",
    out,
    `${summary} over ${s.lines} lines`,
    which === "all" ? "eval_full.json" : `eval_${which}.json`,
  );
}

/** PTB: the whole test set (or validation set), static and with dynamic evaluation. */
async function evalPtb(): Promise<void> {
  const m = await loadPtbModel(values.checkpoint ?? PTB_SHIPPED);
  const data = loadPtb();
  assertSameVocab(m, data);
  const on = split as "valid" | "test";
  const set = on === "test" ? "test" : "validation";
  const text = prefix === undefined ? data[on] : data[on].subarray(0, prefix);
  const scored = `${text.length} ${prefix === undefined ? "" : `of ${data[on].length} `}${set} characters`;
  const how = `as ${streams} stream${streams === 1 ? "" : "s"}${
    rms ? ", dynamic evaluation by the RMS rule" : ""
  }`;
  console.log(
    `checkpoint step ${m.step}: ${m.epochs.toFixed(2)} epochs, ${
      m.hours.toFixed(2)
    } h; scoring ${scored} ${how}`,
  );
  const s = scoreStream(m, text, {
    dynamicLr,
    B: streams,
    rms: rms ? { train: data.train, cfg: rmsCfg } : undefined,
  });
  write(
    "01_text_ptb",
    {
      checkpoint: relative(PROJECT_ROOT, m.checkpoint.path),
      step: m.step,
      epochs: m.epochs,
      training_hours: m.hours,
      [`${on}_bpc_static`]: s.static,
      [`${on}_bpc_dynamic`]: s.dynamic,
      ...(rms ? { dynamic: "rms", dynamic_rms: rmsCfg } : { dynamic: "sgd", dynamic_lr: dynamicLr }),
      streams,
      [`${on}_perplexity_static`]: perplexityFromBpc(s.static),
      [`${on}_perplexity_dynamic`]: perplexityFromBpc(s.dynamic!),
      [`${on}_error_static`]: s.error,
      [`${on}_symbols_scored`]: s.symbols,
      // the zero-started streams' static BPC: median, and any worse than twice it
      [`${on}_streams_static`]: streamOutliers(s.streams),
      record: runRecord({
        profile: prefix === undefined
          ? `full ${set} set`
          : `the first ${text.length} characters of the ${set} set`,
        data: { [`ptb_${on}_symbols`]: data[on].length },
        config: m.config as unknown as Record<string, unknown>,
      }),
    },
    `${set}: static ${s.static.toFixed(4)} BPC, dynamic ${s.dynamic!.toFixed(4)} BPC`,
    `eval_${on === "test" ? "full" : "valid"}${rms ? "_rms" : ""}.json`,
  );
}

/** Wikipedia: the whole validation split of the enwik8 copy found (a prefix says so), static and dynamic. */
async function evalWikipedia(): Promise<void> {
  const dir = values.checkpoint ?? shippedDir("wikipedia");
  const data = loadEnwik8();
  const m = await loadWikipediaModel(dir, data);
  console.log(
    `checkpoint step ${m.step}: ${m.epochs.toFixed(2)} epochs, ${m.hours.toFixed(2)} h; ${data.caveat}`,
  );
  const s = scoreStream(m, data.valid);
  write("02_text_wikipedia", {
    checkpoint: relative(PROJECT_ROOT, m.checkpoint.path),
    step: m.step,
    epochs: m.epochs,
    training_hours: m.hours,
    valid_bpc_static: s.static,
    valid_bpc_dynamic: s.dynamic,
    valid_bytes_scored: s.symbols,
    valid_bytes_dynamic: s.dynamicSymbols,
    data_bytes: data.dataBytes,
    data_is_prefix: data.isPrefix,
    record: runRecord({
      profile: "full validation split",
      data: { enwik8: data.caveat },
      config: m.config as unknown as Record<string, unknown>,
    }),
  }, `static ${s.static.toFixed(4)} BPC, dynamic ${s.dynamic!.toFixed(4)} BPC over ${s.symbols} bytes`);
}
