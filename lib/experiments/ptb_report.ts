/**
 * Notebook 01's report, one call per cell: the network it reports on (the
 * shipped one, or one trained here), Table 1 with the paper's rows beside
 * ours, the learning curves, a sample and `metrics.json`.
 * @module
 */
import { join } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";
import type { Ptb } from "../data/ptb.ts";
import { decodePtb, encode, ptbTokens } from "../data/ptb.ts";
import { sampleText } from "../models/text.ts";
import { Rng } from "../util/rng.ts";
import type { ProgressFn } from "../train/progress.ts";
import { curves } from "../plots/figures.ts";
import type { Figure } from "../plots/render.ts";
import { writeFileAtomic } from "../util/files.ts";
import { readEvalFull, type RunRecord, writeMetrics } from "../report/record.ts";
import { readWordsEval } from "./ptb_words_eval.ts";
import { PTB, PTB_PROFILES } from "./ptb.ts";
import {
  perplexityFromBpc,
  PTB_TABLE1,
  ptbChanges,
  ptbCurves,
  type PtbModel,
  ptbReference,
  scorePtb,
} from "./ptb_score.ts";

/** What notebook 01 does; `paper` trains, `quick` (CI) scores the shipped network. */
export interface PtbNotebookConfig {
  /** Train here (resumable, `runs/ptb-<profile>`) instead of loading the shipped checkpoint. */
  train: boolean;
  /** Table 1's row to train for: none (9 epochs), noise (σ = 0.075, 25), awn (adaptive, 26). */
  regularisation: "none" | "noise" | "awn";
  /** Test characters dynamic evaluation runs on (undefined: all). */
  dynamicSymbols?: number;
  sampleLength: number;
  temperature: number;
  seed: number;
}

/** The network notebook 01 reports on, and Table 1's row it belongs to. */
export interface PtbNetwork {
  model: PtbModel;
  /** "none", "weight noise" or "adapt. wt. noise", from the profile it was trained with. */
  regularisation: string;
  /** Why its profile's values (the profile's `why`). */
  why: string;
}

/** Trains (resumably) or loads the network `config` asks for. */
export async function ptbNetwork(
  config: PtbNotebookConfig,
  data: Ptb,
  onProgress?: ProgressFn,
): Promise<PtbNetwork> {
  const profile =
    PTB_PROFILES[{ none: "paper", noise: "paper-noise", awn: "paper-awn" }[config.regularisation]];
  let dir = PTB.shipped;
  if (config.train) {
    dir = join(PROJECT_ROOT, "runs", `ptb-${profile.name}`); // the kernel's working directory is notebooks/
    await PTB.train(profile, { resume: true, data, onProgress, runDir: dir });
  }
  const model = await PTB.open(dir);
  const trained = model.checkpoint.meta.profile as { why: string };
  return { model, regularisation: model.regularisation, why: trained.why };
}

/** One row of our Table 1. */
export type Table1Row = Record<string, string | number | boolean | null>;

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Table 1: the paper's rows, then ours — scored here as 32 streams (dynamic
 * evaluation on `dynamicSymbols`), and, where `deno task eval ptb` scored
 * this very checkpoint, the whole test set as one stream (the paper's way)
 * and by Krause et al.'s RMS rule (not the paper's). Each row names the
 * network and how it was scored in columns of their own.
 */
export function ptbTable1(net: PtbNetwork, data: Ptb, out: string, dynamicSymbols?: number) {
  const { model, regularisation } = net;
  const s = scorePtb(model, data, { dynamicSymbols });
  type Full = {
    step: number;
    streams?: number;
    test_symbols_scored: number;
    test_error_static: number;
    test_bpc_static: number;
    test_bpc_dynamic: number;
  };
  const full = readEvalFull<Full>(out, model.step);
  const rms = readEvalFull<Full>(out, model.step, undefined, "eval_full_rms.json");
  const streams = full?.streams ?? 32; // files from before --streams scored 32
  const ours = (scored: string, dynamic: boolean, chars: number, bpc: number, error?: number): Table1Row => ({
    source: "ours",
    network: model.label,
    regularisation,
    dynamic,
    scored,
    test_chars: chars,
    bpc: r4(bpc),
    perplexity: r1(perplexityFromBpc(bpc)),
    error_pct: error === undefined ? null : r1(100 * error),
    epochs: r2(model.epochs),
  });
  const oneStream = `${streams} stream${streams === 1 ? " (the paper's way)" : "s"}: deno task eval ptb`;
  const rows: Table1Row[] = [
    ...PTB_TABLE1.map((r) => ({
      source: "paper",
      network: "1 × 1000 LSTM",
      regularisation: r.regularisation,
      dynamic: r.dynamic,
      scored: "1 stream",
      test_chars: data.test.length,
      bpc: r.bpc,
      perplexity: r.perplexity,
      error_pct: null,
      epochs: r.epochs,
    })),
    ours("32 streams (this run)", false, s.symbols, s.static, s.error),
    ours("32 streams (this run)", true, s.dynamicSymbols, s.dynamic!),
    ...(full
      ? [
        ours(oneStream, false, full.test_symbols_scored, full.test_bpc_static, full.test_error_static),
        ours(oneStream, true, full.test_symbols_scored, full.test_bpc_dynamic),
      ]
      : []),
    ...(rms
      ? [
        ours(
          "1 stream, Krause et al.'s RMS rule (not the paper's)",
          true,
          rms.test_symbols_scored,
          rms.test_bpc_dynamic,
        ),
      ]
      : []),
  ];
  return { rows, scores: s, full, rms, streams };
}

/**
 * The learning curves with the paper's row for this network's regularisation,
 * where training changed, and our whole-test-set score (`full`: `eval_full.json`, one stream) as a dot.
 */
export function ptbCurvesFigure(
  net: PtbNetwork,
  full?: { test_bpc_static: number; streams?: number },
): Figure {
  const end = net.model.epochs;
  const how = full?.streams === 1 ? "one stream" : `${full?.streams ?? 32} streams`;
  return curves(ptbCurves(net.model.checkpoint), {
    x: "epoch",
    y: "bits per character",
    title: "PTB: 1×1000 LSTM learning curves",
    caption: net.model.label,
    reference: [ptbReference(net.regularisation)],
    changes: ptbChanges(net.model.checkpoint),
    scores: full
      ? [{ x: end, y: full.test_bpc_static, label: `ours, test, ${how}: ${full.test_bpc_static.toFixed(3)}` }]
      : [],
  });
}

/**
 * A sample primed with " the company said" at `config`'s temperature and
 * seed; written, given `out`, to `out/sample.txt` under its two-line header.
 */
export function ptbSample(
  net: PtbNetwork,
  data: Ptb,
  config: Pick<PtbNotebookConfig, "sampleLength" | "temperature" | "seed">,
  out?: string,
): { title: string; text: string } {
  const { params, config: c } = net.model;
  const prime = encode(ptbTokens(" the company said \n").slice(0, -1), data.vocab);
  const codes = sampleText(params, c, prime, config.sampleLength, new Rng(config.seed), config.temperature);
  const text = decodePtb(prime, data.vocab) + decodePtb(codes, data.vocab);
  const title = `temperature ${config.temperature}, seed ${config.seed}, ${config.sampleLength} characters`;
  if (out) writeFileAtomic(`${out}/sample.txt`, `# ${net.model.label}\n# ${title}\n${text}\n`);
  return { title, text };
}

/** Writes notebook 01's `metrics.json`: the headline numbers, the full training history, the record. */
export function ptbMetrics(
  net: PtbNetwork,
  t: ReturnType<typeof ptbTable1>,
  outliers: unknown,
  out: string,
  record: RunRecord,
): string {
  const { scores: s, full, rms } = t;
  return writeMetrics(out, {
    test_bpc_static: s.static,
    test_bpc_dynamic: s.dynamic,
    test_bpc_dynamic_chars: s.dynamicSymbols,
    test_bpc_static_full: full?.test_bpc_static ?? null,
    test_bpc_dynamic_full: full?.test_bpc_dynamic ?? null,
    full_streams: full ? t.streams : null,
    test_bpc_dynamic_rms_full: rms?.test_bpc_dynamic ?? null,
    dynamic_text_stream_outliers: outliers,
    test_error_static: s.error,
    epochs: net.model.epochs,
    training_hours: net.model.hours,
    label: net.model.label,
    trained_under: net.model.trainedUnder,
    checkpoint_step: net.model.step,
    ...wordMetrics(out, "none", "word"),
    ...wordMetrics(out, "weight noise", "word_noise"),
  }, record);
}

/** Table 1's word rows in `metrics.json` (`{key}_test_perplexity_static`, …), null until `deno task eval ptb-words` recorded them. */
function wordMetrics(out: string, regularisation: string, key: string) {
  const words = readWordsEval(out, { regularisation });
  return {
    [`${key}_test_perplexity_static`]: words?.test_static.perplexity ?? null,
    [`${key}_test_perplexity_dynamic`]: words?.test_dynamic.perplexity ?? null,
    [`${key}_test_perplexity_dynamic_rms`]:
      readWordsEval(out, { regularisation, rms: true })?.test_dynamic.perplexity ??
        null,
    [`${key}_test_bpc_equivalent_static`]: words?.test_static.bpc_equivalent ?? null,
    [`${key}_epochs`]: words?.epochs ?? null,
    [`${key}_training_hours`]: words?.training_hours ?? null,
    [`${key}_label`]: words?.label ?? null,
  };
}
