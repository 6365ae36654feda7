/**
 * Notebook 01's word-level rows (Table 1): the paper's word rows beside ours,
 * read from `eval_words_test.json` (`deno task eval ptb-words` on the word
 * network `deno task train ptb-words` trains; no word checkpoint is shipped:
 * 54M weights), and a small word model trained for a few minutes so the
 * notebook's word cells always run.
 * @module
 */
import { join } from "node:path";
import { clip, shortenedLabel } from "../util/text.ts";
import type { PtbWords } from "../data/ptb_words.ts";
import { evaluateText } from "../eval/evaluate.ts";
import { loadPtbModel } from "./ptb_score.ts";
import type { RunOptions } from "../runs/run.ts";
import { perplexityFromBits, PTB_CHARS_PER_WORD, PTB_WORDS, PTB_WORDS_PROFILE_QUICK } from "./ptb_words.ts";

/** Table 1's word-level rows: test perplexity (BPC through 5.6 characters a word, as the paper gives it). */
export const PTB_TABLE1_WORDS = [
  { regularisation: "none", dynamic: false, perplexity: 138, bpc: 1.27, epochs: 11 },
  { regularisation: "none", dynamic: true, perplexity: 126, bpc: 1.25, epochs: 11 },
  { regularisation: "weight noise", dynamic: false, perplexity: 126, bpc: 1.25, epochs: 14 },
  { regularisation: "weight noise", dynamic: true, perplexity: 117, bpc: 1.23, epochs: 14 },
] as const;

/** The recorded word result (`eval_words_test.json`), when there is one. */
export interface WordsEval {
  step: number;
  epochs: number;
  training_hours: number;
  label: string;
  test_static: { perplexity: number; bpc_equivalent: number; bits_per_word: number };
  test_dynamic: { perplexity: number; bpc_equivalent: number; bits_per_word: number };
  test_error_static: number;
  test_words_scored: number;
  dynamic_lr: number;
}

/**
 * `out/eval_words_test.json` (the paper's dynamic rule), or with `rms`
 * `eval_words_test_rms.json` (Krause et al.'s) when it scored the same
 * checkpoint step; otherwise undefined.
 */
export function readWordsEval(out: string, rms = false): WordsEval | undefined {
  const read = (file: string): WordsEval | undefined => {
    try {
      return JSON.parse(Deno.readTextFileSync(join(out, file)));
    } catch {
      return undefined;
    }
  };
  const paper = read("eval_words_test.json");
  if (!rms) return paper;
  const other = read("eval_words_test_rms.json");
  return paper && other && other.step === paper.step && other.epochs === paper.epochs ? other : undefined;
}

/**
 * Table 1's word rows: the paper's and, where recorded, ours (label from the
 * record, ≤ 120 characters), with a row for Krause et al.'s RMS dynamic rule
 * where `eval_words_test_rms.json` scored the same network.
 */
export function ptbWordRows(out: string) {
  const ours = readWordsEval(out), rms = readWordsEval(out, true);
  const paperWay = "1 stream (the paper's way)";
  const oursRows: { run: WordsEval; dynamic: boolean; scored: string }[] = ours
    ? [
      { run: ours, dynamic: false, scored: paperWay },
      { run: ours, dynamic: true, scored: paperWay },
      ...(rms
        ? [{ run: rms, dynamic: true, scored: "1 stream, Krause et al.'s RMS rule (not the paper's)" }]
        : []),
    ]
    : [];
  const r1 = (x: number) => Math.round(x * 10) / 10, r3 = (x: number) => Math.round(x * 1000) / 1000;
  return [
    ...PTB_TABLE1_WORDS.map((r) => ({
      source: "paper",
      network: "1 × 1000 LSTM, words",
      regularisation: r.regularisation,
      dynamic: r.dynamic,
      scored: paperWay,
      perplexity: r.perplexity,
      bpc_equivalent: r.bpc,
      error_pct: null as number | null,
      epochs: r.epochs as number,
    })),
    ...oursRows.map(({ run, dynamic, scored }) => {
      const s = dynamic ? run.test_dynamic : run.test_static;
      return {
        source: "ours",
        network: clip(shortenedLabel(run.label, run.epochs, 11)),
        regularisation: "none",
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
 * few minutes into `runDir` (a new folder), and its validation perplexity on the first
 * 10,000 words: every word cell runs without the 54M-weight network.
 */
export async function quickWordModel(data: PtbWords, runDir: string, onProgress?: RunOptions["onProgress"]) {
  // silent by default: progress lines carry timings, and notebook outputs must come out the same every run
  await PTB_WORDS.train(PTB_WORDS_PROFILE_QUICK, {
    runDir,
    data,
    ship: false,
    onProgress: onProgress ?? (() => {}),
  });
  const m = await loadPtbModel(runDir, "ptb-words");
  const bits = evaluateText(m.params, m.config, data.valid.subarray(0, 10_000), 32, 35);
  return {
    label: m.label,
    epochs: m.epochs,
    valid_perplexity_10k: perplexityFromBits(bits),
    valid_bpc_equivalent_10k: bits / PTB_CHARS_PER_WORD,
  };
}
