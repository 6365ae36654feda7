/**
 * `deno task eval ptb-words [--split valid|test] [--checkpoint runs/ptb-words-cpu] [--dynamic-lr r | --dynamic rms [--eta η] [--lambda λ]] [--prefix n --out file]`:
 * the word-level network (Table 1's word rows) on PTB's validation or test
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
import { writeFileAtomic } from "../util/files.ts";
import { join, relative } from "node:path";
import { loadPtbWords } from "../data/ptb_words.ts";
import { perplexityFromBits, PTB_CHARS_PER_WORD } from "../experiments/ptb_words.ts";
import { loadPtbModel, scoreStream } from "../experiments/ptb_score.ts";
import { wordsEvalFile } from "../experiments/ptb_words_report.ts";
import type { RmsDynamicConfig } from "../eval/dynamic_rms.ts";
import { recordTiming, resultsDir, runRecord } from "../report/record.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { DataError } from "../data/errors.ts";

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

/** Scores the word network and writes its result file. */
export async function evalPtbWords(o: {
  split: "valid" | "test";
  streams: number;
  dynamicLr?: string;
  checkpoint?: string;
  out?: string;
  prefix?: number;
  /** Dynamic evaluation by Krause et al.'s RMS rule with these settings instead of the paper's SGD. */
  rms?: RmsDynamicConfig;
  t0: number;
}): Promise<void> {
  const dir = o.checkpoint ?? join(PROJECT_ROOT, "runs", "ptb-words-cpu");
  const m = await loadPtbModel(dir, "ptb-words");
  const data = loadPtbWords();
  const trained = m.checkpoint.meta.vocab as string[] | undefined;
  if (trained && JSON.stringify(trained) !== JSON.stringify(data.vocab.symbols)) {
    throw new DataError(
      `${data.dir}/ptb.train.txt`,
      "its words are not the ones the checkpoint was trained on",
    );
  }
  // named before scoring: a network with no word row of its own is refused now, not after half an hour
  const path = o.out ?? join(resultsDir("01_text_ptb"), wordsEvalFile(o.split, m.regularisation, !!o.rms));
  const lr = o.dynamicLr === undefined ? WORDS_DYNAMIC_LR : Number(o.dynamicLr);
  const words = o.prefix === undefined ? data[o.split] : data[o.split].subarray(0, o.prefix);
  const set = o.split === "test" ? "test" : "validation";
  console.log(
    `checkpoint step ${m.step}: ${m.epochs.toFixed(2)} epochs, ${
      m.hours.toFixed(2)
    } h; ${words.length} ${set} words as ${o.streams} stream(s)${
      o.rms ? ", dynamic evaluation by the RMS rule" : ""
    }`,
  );
  const s = scoreStream(m, words, {
    dynamicLr: lr,
    B: o.streams,
    rms: o.rms ? { train: data.train, cfg: o.rms } : undefined,
  });
  const row = (bits: number) => ({
    bits_per_word: bits,
    perplexity: perplexityFromBits(bits),
    bpc_equivalent: bits / PTB_CHARS_PER_WORD,
  });
  const out = {
    checkpoint: relative(PROJECT_ROOT, m.checkpoint.path),
    step: m.step,
    epochs: m.epochs,
    training_hours: m.hours,
    label: m.label,
    trained_under: m.trainedUnder,
    regularisation: m.regularisation,
    ...(m.weightNoiseFromStep ? { weight_noise_from_step: m.weightNoiseFromStep } : {}),
    [`${o.split}_static`]: row(s.static),
    [`${o.split}_dynamic`]: row(s.dynamic!),
    [`${o.split}_error_static`]: s.error,
    [`${o.split}_words_scored`]: s.symbols,
    streams: o.streams,
    ...(o.rms ? { dynamic: "rms", dynamic_rms: o.rms } : { dynamic: "sgd", dynamic_lr: lr }),
    record: runRecord({
      profile: o.prefix === undefined ? `full ${set} set, words` : `the first ${words.length} ${set} words`,
      data: { [`ptb_${o.split}_words`]: data[o.split].length },
      config: m.config as unknown as Record<string, unknown>,
    }),
  };
  console.log( // the score first: a failed write never loses it
    `${set}: perplexity ${perplexityFromBits(s.static).toFixed(1)} static, ${
      perplexityFromBits(s.dynamic!).toFixed(1)
    } dynamic`,
  );
  writeFileAtomic(path, JSON.stringify(out, null, 2) + "\n");
  recordTiming(`deno task eval ${Deno.args.join(" ")}`, (performance.now() - o.t0) / 1000);
  console.log(`→ ${relative(PROJECT_ROOT, path)}`);
}
