/**
 * `deno task eval ptb-words [--split valid|test] [--checkpoint runs/ptb-words-cpu] [--dynamic-lr r | --dynamic rms [--eta η] [--lambda λ]] [--prefix n --out file]`:
 * how the word-level network is scored: the word-level network (Table 1's word rows) on PTB's validation or test
 * words as one stream (the paper's way), static and with dynamic evaluation
 * (plain gradient steps, the paper's; `--dynamic rms`: Krause et al.'s rule,
 * an extra row, `eval_words_{split}_rms.json`); perplexity, bits per word, the
 * equivalent BPC through the paper's 5.6 characters per word, and the error
 * rate. Writes `results/01_text_ptb/eval_words_{valid,test}.json`, or
 * `eval_words_{split}_noise*.json` for a network trained with weight noise. No word
 * checkpoint is shipped (54M weights): the default is the run folder
 * `deno task train ptb-words` writes.
 * @module
 */
import { join, relative } from "node:path";
import { loadPtbWords } from "../data/ptb_words.ts";
import type { RmsDynamicConfig } from "../eval/dynamic_rms.ts";
import { runRecord } from "../report/record.ts";
import { count, fixed, gap, type HeadlineRow, num, type ReadResult } from "../report/headline.ts";
import { clip, shortenedLabel } from "../util/text.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { DataError } from "../data/errors.ts";
import { type PtbModel, scoreStream } from "./ptb_score.ts";
import type { Scoring } from "./scoring.ts";
import { TEXT_FLAGS, textScoringFlags } from "./text_eval.ts";

/** The paper's characters per word on PTB: a word model's bits per word / 5.6 compare with BPC. */
export const PTB_CHARS_PER_WORD = 5.6;

/** Perplexity from bits per word. */
export const perplexityFromBits = (bitsPerWord: number): number => 2 ** bitsPerWord;

/** Table 1's word-level rows: test perplexity (BPC through 5.6 characters a word, as the paper gives it). */
export const PTB_TABLE1_WORDS = [
  { regularisation: "none", dynamic: false, perplexity: 138, bpc: 1.27, epochs: 11 },
  { regularisation: "none", dynamic: true, perplexity: 126, bpc: 1.25, epochs: 11 },
  { regularisation: "weight noise", dynamic: false, perplexity: 126, bpc: 1.25, epochs: 14 },
  { regularisation: "weight noise", dynamic: true, perplexity: 117, bpc: 1.23, epochs: 14 },
] as const;

/** The recorded word result (`eval_words_test*.json`), when there is one. */
export interface WordsEval {
  step: number;
  epochs: number;
  training_hours: number;
  label: string;
  /** "none" or "weight noise" (files written before it was recorded: "none"). */
  regularisation?: string;
  /** Where weight noise began when the run was fine-tuned with it from an unregularised start. */
  weight_noise_from_step?: number;
  test_static: { perplexity: number; bpc_equivalent: number; bits_per_word: number };
  test_dynamic: { perplexity: number; bpc_equivalent: number; bits_per_word: number };
  test_error_static: number;
  test_words_scored: number;
  dynamic_lr: number;
}

/** File-name part of each word row's regularisation: one result file per network. */
const REGULARISATION_SUFFIX: Readonly<Record<string, string>> = { none: "", "weight noise": "_noise" };

/**
 * The result file `deno task eval ptb-words` writes for a split, the
 * network's regularisation and the dynamic rule: e.g. `eval_words_test.json`,
 * `eval_words_test_noise_rms.json`.
 */
export function wordsEvalFile(split: "valid" | "test", regularisation = "none", rms = false): string {
  const suffix = REGULARISATION_SUFFIX[regularisation];
  if (suffix === undefined) throw new Error(`no word row for regularisation "${regularisation}"`);
  return `eval_words_${split}${suffix}${rms ? "_rms" : ""}.json`;
}

/**
 * The test result of the word network of this `regularisation` (the paper's
 * dynamic rule), or with `rms` Krause et al.'s when that file scored the same
 * checkpoint step; otherwise undefined.
 */
export function readWordsEval(
  out: string,
  o: { rms?: boolean; regularisation?: string } = {},
): WordsEval | undefined {
  const read = (rms: boolean): WordsEval | undefined => {
    try {
      return JSON.parse(Deno.readTextFileSync(join(out, wordsEvalFile("test", o.regularisation, rms))));
    } catch {
      return undefined;
    }
  };
  const paper = read(false);
  if (!o.rms) return paper;
  const other = read(true);
  return paper && other && other.step === paper.step && other.epochs === paper.epochs ? other : undefined;
}

/**
 * Dynamic evaluation's rate for the word network, one stream: chosen on the
 * first 20,000 validation words at step 1500 of the `cpu` run among 1e−4,
 * 3e−4, 1e−3 and 2e−3 (perplexity 190.1, 188.5, 192.3 and 202.3 against 194.3
 * static; docs/journal/2026-12-02-word-rows.md), as the character rows' rate was.
 */
export const WORDS_DYNAMIC_LR = 3e-4;

/**
 * Krause et al.'s RMS rule for the word network (`--dynamic rms`; not the
 * paper's). The gradient RMS is measured over the whole training text as 32
 * streams (16 minutes on one core; scaled to one stream by √32): measured on
 * the first 20,000 words as the character rows' is, 42% of the input rows'
 * weights had no gradient (at the characters' η the perplexity went to
 * 10^295). η chosen on the first 20,000 validation words at step 2600,
 * λ = 1e−2 (static 164.45; η 3e−5:
 * 162.59, 1e−4: 158.73, **3e−4: 151.31**, 6e−4: 181.64; 1.2e−3 at λ 2e−2
 * diverged; docs/journal/2026-12-03-word-dynamic.md).
 */
export const WORDS_DYNAMIC_RMS: Readonly<RmsDynamicConfig> = {
  eta: 3e-4,
  lambda: 1e-2,
  eps: 0.1,
  trainSymbols: 929_589,
  trainStreams: 32,
};

/** The word network's scoring (`deno task eval ptb-words`): perplexity, bits per word and their BPC equivalent. */
export function ptbWordsScoring(open: (dir: string) => Promise<PtbModel>): Scoring {
  return {
    about:
      "the word network on PTB's test words as one stream, static and dynamic: perplexity, bits per word, " +
      "BPC through 5.6 characters a word → results/01_text_ptb/eval_words_{split}[_noise][_rms].json; " +
      "no word checkpoint is shipped: the default is runs/ptb-words-cpu",
    flags: TEXT_FLAGS,
    plan(flags, { checkpoint, out }) {
      const f = textScoringFlags(flags, {
        out,
        defaultStreams: 1,
        lrByStreams: { 1: WORDS_DYNAMIC_LR },
        rmsChosen: WORDS_DYNAMIC_RMS,
      });
      return async () => {
        const m = await open(checkpoint);
        const data = loadPtbWords();
        const trained = m.checkpoint.meta.vocab as string[] | undefined;
        if (trained && JSON.stringify(trained) !== JSON.stringify(data.vocab.symbols)) {
          throw new DataError(
            `${data.dir}/ptb.train.txt`,
            "its words are not the ones the checkpoint was trained on",
          );
        }
        // named before scoring: a network with no word row of its own is refused now, not after half an hour
        const file = wordsEvalFile(f.split, m.regularisation, !!f.rms);
        const words = f.prefix === undefined ? data[f.split] : data[f.split].subarray(0, f.prefix);
        const set = f.split === "test" ? "test" : "validation";
        console.log(
          `checkpoint step ${m.step}: ${m.epochs.toFixed(2)} epochs, ${
            m.hours.toFixed(2)
          } h; ${words.length} ${set} words as ${f.streams} stream(s)${
            f.rms ? ", dynamic evaluation by the RMS rule" : ""
          }`,
        );
        const s = scoreStream(m, words, {
          dynamicLr: f.dynamicLr,
          B: f.streams,
          rms: f.rms ? { train: data.train, cfg: f.rms } : undefined,
        });
        const row = (bits: number) => ({
          bits_per_word: bits,
          perplexity: perplexityFromBits(bits),
          bpc_equivalent: bits / PTB_CHARS_PER_WORD,
        });
        return {
          file,
          summary: `${set}: perplexity ${perplexityFromBits(s.static).toFixed(1)} static, ${
            perplexityFromBits(s.dynamic!).toFixed(1)
          } dynamic`,
          out: {
            checkpoint: relative(PROJECT_ROOT, m.checkpoint.path),
            step: m.step,
            epochs: m.epochs,
            training_hours: m.hours,
            label: m.label,
            trained_under: m.trainedUnder,
            regularisation: m.regularisation,
            ...(m.weightNoiseFromStep ? { weight_noise_from_step: m.weightNoiseFromStep } : {}),
            [`${f.split}_static`]: row(s.static),
            [`${f.split}_dynamic`]: row(s.dynamic!),
            [`${f.split}_error_static`]: s.error,
            [`${f.split}_words_scored`]: s.symbols,
            streams: f.streams,
            ...(f.rms ? { dynamic: "rms", dynamic_rms: f.rms } : { dynamic: "sgd", dynamic_lr: f.dynamicLr }),
            record: runRecord({
              profile: f.prefix === undefined
                ? `full ${set} set, words`
                : `the first ${words.length} ${set} words`,
              data: { [`ptb_${f.split}_words`]: data[f.split].length },
              config: { ...m.config },
            }),
          },
        };
      };
    },
  };
}

/** The README's word rows: test perplexity static and dynamic of each word network scored, against Table 1's. */
export function ptbWordsHeadline(read: ReadResult): HeadlineRow[] {
  const networks = [
    { experiment: "PTB words (Table 1)", regularisation: "none", said: "no regularisation" },
    { experiment: "PTB words, weight noise", regularisation: "weight noise", said: "weight noise" },
  ];
  return networks.flatMap(({ experiment, regularisation, said }) => {
    const file = `01_text_ptb/${wordsEvalFile("test", regularisation)}`;
    const words = read(file);
    if (!words) return [];
    const paper = (dynamic: boolean) =>
      PTB_TABLE1_WORDS.find((r) => r.regularisation === regularisation && r.dynamic === dynamic)!;
    const [ps, pd] = [paper(false), paper(true)];
    const ppl = (k: string) => num((words[k] as Record<string, unknown> | undefined)?.perplexity);
    const [s, d] = [ppl("test_static"), ppl("test_dynamic")];
    return [{
      experiment,
      measure: "test perplexity, static / dynamic",
      paper: `${ps.perplexity} / ${pd.perplexity} (${said})`,
      ours: `${fixed(s, 0)} / ${fixed(d, 0)}`,
      gap: `${gap(s, ps.perplexity, 0)} / ${gap(d, pd.perplexity, 0)}`,
      how: clip(
        `${shortenedLabel(String(words.label), num(words.epochs), ps.epochs)}${
          words.weight_noise_from_step ? `; noise from step ${count(words.weight_noise_from_step)}` : ""
        }; one stream; not shipped`,
      ),
      sources: [file],
    }];
  });
}
