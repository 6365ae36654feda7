/**
 * Penn Treebank at word level (section 3.1, Table 1's word rows): the same
 * single layer of 1000 LSTM cells with PTB's 10,000 words as input (a row
 * lookup) and a 10,000-way softmax output; the trainer, checkpoints and
 * records are the character experiment's. `deno task train ptb-words`.
 * @module
 */
import { loadPtbWords, type PtbWords } from "../data/ptb_words.ts";
import { StreamBatcher } from "../data/streams.ts";
import { PTB_WORDS_PAPER, type TextConfig, textSpecs } from "../models/text.ts";
import { RMSPROP_PAPER } from "../train/optimizers.ts";
import { TextStreamTask } from "../train/tasks.ts";
import type { TextStreamProfile } from "../runs/run.ts";
import { evaluateText } from "../eval/evaluate.ts";
import { defineExperiment } from "./define.ts";
import { join } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";
import { loadTextModel, type PtbModel } from "./ptb_score.ts";
import { perplexityFromBits, ptbWordsHeadline, ptbWordsScoring } from "./ptb_words_eval.ts";

/** A named way to train the word network. */
export interface PtbWordsProfile extends TextStreamProfile<TextConfig> {
  /** Validation words scored at each evaluation (the whole split by default). */
  evalSymbols?: number;
}

/**
 * Table 1's unregularised word row: the paper's SGD (learning rate 1e−4,
 * momentum 0.99, per-sequence objective), 11 epochs; B = 32 sequences of 100
 * words per update where the paper updated after each.
 */
export const PTB_WORDS_PROFILE_PAPER: PtbWordsProfile = {
  name: "paper",
  why: "Table 1, word-level unregularised row: the paper's SGD settings and 11 epochs",
  model: PTB_WORDS_PAPER,
  batch: 32,
  steps: 100,
  optimizer: { name: "sgd-momentum", hyper: { learningRate: 1e-4, momentum: 0.99 } },
  epochs: 11,
  weightNoise: 0,
  resetEvery: 10,
  evalEvery: 50,
  checkpointEvery: 25,
};

/** Table 1's word-level weight-noise row: σ = 0.075, 14 epochs. */
export const PTB_WORDS_PROFILE_PAPER_NOISE: PtbWordsProfile = {
  ...PTB_WORDS_PROFILE_PAPER,
  name: "paper-noise",
  why: "Table 1, word-level weight-noise row: σ = 0.075 sampled once per sequence batch, 14 epochs",
  epochs: 14,
  weightNoise: 0.075,
};

/**
 * The word network on a CPU budget: RMSProp (section 4.2's decay, momentum and
 * ε) instead of SGD, as the character rows, at learning rate 3e−4, B = 32
 * streams of T = 100 words: 290 updates an epoch, ~13 min on two cores here
 * with the native softmax and lookup kernels (B = 8: ~30 min an epoch, level
 * with B = 32 at equal hours in a first comparison;
 * docs/journal/2026-12-02-word-kernels.md).
 * From one start, 40 steps at 1e−3, 3e−4 and 1e−4 reached 10.38, 10.26 and
 * 10.35 bits per word (3e−3 stalled at 13.6); a run at 1e−3 was still at
 * validation perplexity 377 after 2 epochs. B·T = 3,200 was ahead of Zaremba
 * et al.'s 20 × 35 at equal epochs (perplexity 870 against 1,274 after 0.3
 * epochs; docs/journal/2026-12-02-figures-writers-words.md).
 */
export const PTB_WORDS_PROFILE_CPU: PtbWordsProfile = {
  ...PTB_WORDS_PROFILE_PAPER,
  name: "cpu",
  why: "the paper's word network, RMSProp (section 4.2 values, learning rate 3e-4) instead of SGD",
  optimizer: { name: "rmsprop", hyper: { ...RMSPROP_PAPER, learningRate: 3e-4 } },
  evalEvery: 100,
};

/** A minute of a small word model (200 cells, 5% of an epoch) on real PTB: notebook 01's word cells and CI. */
export const PTB_WORDS_PROFILE_QUICK: PtbWordsProfile = {
  ...PTB_WORDS_PROFILE_CPU,
  name: "quick",
  why:
    "a small word model (200 cells) for a few minutes, so notebook 01's word cells run; not Table 1's network",
  model: { ...PTB_WORDS_PAPER, cells: 200 },
  batch: 32,
  steps: 35,
  epochs: 0.05,
  evalEvery: 0,
  checkpointEvery: 0,
  evalSymbols: 10_000,
};

/** Profiles by name. */
export const PTB_WORDS_PROFILES: Record<string, PtbWordsProfile> = {
  paper: PTB_WORDS_PROFILE_PAPER,
  "paper-noise": PTB_WORDS_PROFILE_PAPER_NOISE,
  cpu: PTB_WORDS_PROFILE_CPU,
  quick: PTB_WORDS_PROFILE_QUICK,
};

/**
 * Section 3.1's word-level experiment: 100-word segments of PTB's training
 * text as B parallel streams (state carried), scored in bits per word on the
 * validation split at each evaluation.
 */
/** The word network's one loader. */
const openWords = (dir: string): Promise<PtbModel> => loadTextModel(dir, "ptb-words", PTB_WORDS_PROFILES);

export const PTB_WORDS = defineExperiment<PtbWordsProfile, PtbWords, PtbModel>({
  name: "ptb-words",
  unit: "words",
  profiles: PTB_WORDS_PROFILES,
  defaultProfile: "cpu",
  loadData: () => loadPtbWords(),
  open: openWords,
  results: "01_text_ptb",
  // no word checkpoint is shipped (54M weights): scored from the run folder `deno task train ptb-words` writes
  defaultCheckpoint: join(PROJECT_ROOT, "runs", "ptb-words-cpu"),
  scoring: ptbWordsScoring(openWords),
  headline: ptbWordsHeadline,
  files: [
    [
      /^table1_words\.csv$/,
      "Table 1's word-level rows: the paper's, and ours when deno task eval ptb-words recorded them",
    ],
    [
      /^eval_words_(valid|test)\.json$/,
      "the word-level network on PTB's $1 words, one stream, static and dynamic",
    ],
    [
      /^eval_words_(valid|test)_noise\.json$/,
      "the word-level network trained with weight noise on PTB's $1 words, one stream, static and dynamic",
    ],
    [
      /^eval_words_(valid|test)(_noise)?_rms\.json$/,
      "the same network, dynamic evaluation by Krause et al.'s RMS rule (not the paper's)",
    ],
  ],
  setup: (profile, data) => {
    if (data.vocab.size !== profile.model.symbols) {
      throw new Error(`${data.vocab.size} words in the data, the network takes ${profile.model.symbols}`);
    }
    const stream = new StreamBatcher(data.train, profile.batch, profile.steps);
    const valid = data.valid.subarray(0, profile.evalSymbols ?? data.valid.length);
    return {
      model: profile.model,
      specs: textSpecs(profile.model),
      task: new TextStreamTask(profile.model, stream, profile.resetEvery),
      stepsPerEpoch: stream.segments,
      evaluate: (p) => {
        const bits = evaluateText(p, profile.model, valid, 32, 35);
        return { valid_bits_per_word: bits, valid_perplexity: perplexityFromBits(bits) };
      },
      meta: { vocab: data.vocab.symbols },
    };
  },
});
