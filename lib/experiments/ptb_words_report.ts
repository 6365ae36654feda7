/**
 * Notebook 01's word-level rows (Table 1): the paper's word rows beside ours,
 * read from `eval_words_test*.json` (`deno task eval ptb-words` on the word
 * networks `deno task train ptb-words` trains, unregularised and with weight
 * noise; no word checkpoint is shipped: 54M weights), and a small word model trained for a few minutes so the
 * notebook's word cells always run.
 * @module
 */
import { join } from "node:path";
import { clip, shortenedLabel } from "../util/text.ts";
import type { PtbWords } from "../data/ptb_words.ts";
import { evaluateText } from "../eval/evaluate.ts";
import type { RunOptions } from "../runs/run.ts";
import type { Settings } from "../runs/settings.ts";
import { exists } from "../util/paths.ts";
import { roundMeasures } from "../report/precision.ts";
import { notebookProgress } from "../train/progress.ts";
import { PTB_WORDS, PTB_WORDS_PROFILE_QUICK } from "./ptb_words.ts";
import {
  perplexityFromBits,
  PTB_CHARS_PER_WORD,
  PTB_TABLE1_WORDS,
  readWordsEval,
  type WordsEval,
} from "./ptb_words_eval.ts";

/** Our word networks' regularisations, in Table 1's order, with the paper's epochs for each. */
const WORD_NETWORKS = PTB_TABLE1_WORDS.filter((r) => !r.dynamic)
  .map(({ regularisation, epochs }) => ({ regularisation, epochs: epochs as number }));

/**
 * Table 1's word rows: the paper's and, where recorded, ours for each
 * regularisation (label from the record, ≤ 120 characters), with a row for
 * Krause et al.'s RMS dynamic rule where its file scored the same network.
 */
export function ptbWordRows(out: string) {
  const paperWay = "1 stream (the paper's way)";
  const oursRows = WORD_NETWORKS.flatMap(({ regularisation, epochs }) => {
    const ours = readWordsEval(out, { regularisation }),
      rms = readWordsEval(out, { regularisation, rms: true });
    if (!ours) return [];
    const from = ours.weight_noise_from_step;
    const reg = from ? `${regularisation} from step ${from.toLocaleString("en-US")} on` : regularisation;
    const row = (run: WordsEval, dynamic: boolean, scored: string) => ({ run, dynamic, scored, reg, epochs });
    return [
      row(ours, false, paperWay),
      row(ours, true, paperWay),
      ...(rms ? [row(rms, true, "1 stream, Krause et al.'s RMS rule (not the paper's)")] : []),
    ];
  });
  const r1 = (x: number) => Math.round(x * 10) / 10, r3 = (x: number) => Math.round(x * 1000) / 1000;
  return [
    ...PTB_TABLE1_WORDS.map((r) => ({
      source: "paper",
      network: "1 × 1000 LSTM, words",
      regularisation: r.regularisation as string,
      dynamic: r.dynamic,
      scored: paperWay,
      perplexity: r.perplexity,
      bpc_equivalent: r.bpc,
      error_pct: null as number | null,
      epochs: r.epochs as number,
    })),
    ...oursRows.map(({ run, dynamic, scored, reg, epochs }) => {
      const s = dynamic ? run.test_dynamic : run.test_static;
      return {
        source: "ours",
        network: clip(shortenedLabel(run.label, run.epochs, epochs)),
        regularisation: reg,
        dynamic,
        scored,
        perplexity: r1(s.perplexity),
        bpc_equivalent: r3(s.bpc_equivalent),
        error_pct: dynamic ? null : r1(100 * run.test_error_static),
        epochs: Math.round(run.epochs * 100) / 100,
      };
    }),
  ];
}

/**
 * A small word model (200 cells, `PTB_WORDS_PROFILE_QUICK`) trained for a
 * few minutes into `runDir`, and its validation perplexity on the first
 * 10,000 words: every word cell runs without the 54M-weight network. Called
 * again on the same folder with more `epochs`, it trains the same model on
 * (the run's record says from where). Numbers come rounded (`roundMeasures`).
 */
export async function quickWordModel(
  data: PtbWords,
  runDir: string,
  o: { epochs?: number; onProgress?: RunOptions["onProgress"] } = {},
) {
  const settings: Settings = o.epochs === undefined ? {} : { epochs: o.epochs };
  // silent by default: progress lines carry timings, and notebook outputs must come out the same every run
  await PTB_WORDS.train(PTB_WORDS_PROFILE_QUICK, {
    runDir,
    data,
    ship: false,
    resume: exists(join(runDir, "latest.json")),
    settings,
    onProgress: o.onProgress ?? notebookProgress("words"), // blanked when done: no timings in saved outputs
  });
  const m = await PTB_WORDS.open(runDir);
  const bits = evaluateText(m.params, m.config, data.valid.subarray(0, 10_000), 32, 35);
  return roundMeasures({
    label: m.label,
    epochs: m.epochs,
    valid_perplexity_10k: perplexityFromBits(bits),
    valid_bpc_equivalent_10k: bits / PTB_CHARS_PER_WORD,
  });
}
