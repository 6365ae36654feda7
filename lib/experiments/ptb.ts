/**
 * Penn Treebank experiment (section 3.1, Table 1): named training profiles
 * and the experiment definition behind `deno task train ptb`. Notebook 01 and `deno task train ptb` both call this.
 * @module
 */
import { AWN_INIT_STD, AWN_SIGMA_PAPER } from "../train/adaptive_noise.ts";
import { loadPtb, type Ptb } from "../data/ptb.ts";
import { DataError } from "../data/errors.ts";
import { StreamBatcher } from "../data/streams.ts";
import { PTB_PAPER, type TextConfig, textSpecs } from "../models/text.ts";
import { RMSPROP_PAPER } from "../train/optimizers.ts";
import { TextStreamTask } from "../train/tasks.ts";
import type { TrainingProfile } from "../runs/run.ts";
import { evaluateText } from "../eval/evaluate.ts";
import { defineExperiment } from "./define.ts";
import { loadTextModel, type PtbModel } from "./ptb_score.ts";
import { ptbCharHeadline, ptbCharScoring } from "./text_eval.ts";

/** A named way to train the PTB network. */
export interface PtbProfile extends TrainingProfile<TextConfig> {
  /** Validation symbols scored at each evaluation (a prefix, for speed; full at the end). */
  evalSymbols: number;
}

/**
 * Section 3.1's unregularised row: SGD, learning rate 1e−4 and momentum 0.99
 * on the per-sequence objective (−log Pr summed over each 100-character
 * sequence, in nats: the text task's `objectiveScale`), 9 epochs. The paper
 * updated after every sequence; we average B = 32 sequences per update.
 */
export const PTB_PROFILE_PAPER: PtbProfile = {
  name: "paper",
  why: "Table 1, first row: the paper's SGD settings and 9 epochs",
  model: PTB_PAPER,
  batch: 32,
  steps: 100,
  optimizer: { name: "sgd-momentum", hyper: { learningRate: 1e-4, momentum: 0.99 } },
  epochs: 9,
  weightNoise: 0,
  evalEvery: 500,
  checkpointEvery: 100,
  evalSymbols: 100_000,
};

/** Table 1's weight-noise rows: σ = 0.075, 25 epochs. */
export const PTB_PROFILE_PAPER_NOISE: PtbProfile = {
  ...PTB_PROFILE_PAPER,
  name: "paper-noise",
  why: "Table 1, weight-noise rows: σ = 0.075 sampled once per sequence batch, 25 epochs",
  epochs: 25,
  weightNoise: 0.075,
};

/** Table 1's adaptive-weight-noise rows (1.26 static, 1.24 dynamic): the paper's SGD, 26 epochs. */
export const PTB_PROFILE_PAPER_AWN: PtbProfile = {
  ...PTB_PROFILE_PAPER_NOISE,
  name: "paper-awn",
  why: "Table 1, adaptive-weight-noise rows: a learned σ per weight (Graves 2011), 26 epochs",
  epochs: 26,
  weightNoise: 0,
  adaptiveNoise: true,
  awnInitStd: AWN_INIT_STD,
};

/**
 * What the shipped checkpoint is trained with on a 2-core CPU: the paper's
 * network, data and objective, with the paper's RMSProp (eqs 38-45, the values
 * of section 4.2) instead of SGD, which needs fewer of the few epochs a CPU
 * affords (README, Deviations).
 */
export const PTB_PROFILE_CPU: PtbProfile = {
  ...PTB_PROFILE_PAPER,
  name: "cpu",
  why: "the paper's network on a CPU budget: the paper's RMSProp (section 4.2 values) instead of SGD",
  optimizer: { name: "rmsprop", hyper: { ...RMSPROP_PAPER } },
};

/** The CPU profile with adaptive weight noise (`--from results/checkpoints/ptb` starts it from the shipped weights). */
export const PTB_PROFILE_CPU_AWN: PtbProfile = {
  ...PTB_PROFILE_CPU,
  name: "cpu-awn",
  why: "the CPU profile with adaptive weight noise (Table 1's last rows), RMSProp",
  adaptiveNoise: true,
  awnInitStd: AWN_INIT_STD,
  ...AWN_SIGMA_PAPER,
};

/** A minute of training from scratch on real PTB (CI, smoke tests). */
export const PTB_PROFILE_QUICK: PtbProfile = {
  ...PTB_PROFILE_CPU,
  name: "quick",
  why: "CI smoke run: a few real training steps, the shipped checkpoint does the evaluation",
  epochs: 0.01,
  evalEvery: 0,
  checkpointEvery: 0,
  evalSymbols: 20_000,
};

/** Profiles by name. */
export const PTB_PROFILES: Record<string, PtbProfile> = {
  paper: PTB_PROFILE_PAPER,
  "paper-noise": PTB_PROFILE_PAPER_NOISE,
  "paper-awn": PTB_PROFILE_PAPER_AWN,
  cpu: PTB_PROFILE_CPU,
  "cpu-awn": PTB_PROFILE_CPU_AWN,
  quick: PTB_PROFILE_QUICK,
};

/**
 * Section 3.1's experiment: 100-character segments of PTB's training text as
 * B parallel streams (state carried), scored on a validation prefix at each
 * evaluation.
 */
/** PTB's one loader: a checkpoint folder → the character network and its regularisation. */
const openPtb = (dir: string): Promise<PtbModel> => loadTextModel(dir, "ptb", PTB_PROFILES);

export const PTB = defineExperiment<PtbProfile, Ptb, PtbModel>({
  name: "ptb",
  unit: "chars",
  profiles: PTB_PROFILES,
  defaultProfile: "cpu",
  loadData: () => loadPtb(),
  open: openPtb,
  results: "01_text_ptb",
  scoring: ptbCharScoring(openPtb),
  headline: ptbCharHeadline,
  gallery: [
    {
      png: "01_text_ptb/learning_curves.png",
      paper: "Table 1",
      compare: "not a paper figure: our curves, our test score as a dot, the paper's row as a dashed line",
    },
  ],
  setup: (profile, data) => {
    assertVocabFits(data, profile.model.symbols);
    const stream = new StreamBatcher(data.train, profile.batch, profile.steps);
    const valid = data.valid.subarray(0, profile.evalSymbols);
    return {
      model: profile.model,
      specs: textSpecs(profile.model),
      task: new TextStreamTask(profile.model, stream),
      stepsPerEpoch: stream.segments,
      evaluate: (p) => ({ valid_bpc: evaluateText(p, profile.model, valid) }),
      meta: { vocab: data.vocab.symbols },
    };
  },
});

/**
 * Refuses PTB text whose symbols are not the `symbols` the network takes:
 * another copy of the files (an MD5 `deno task data` flags) would otherwise
 * train a 49-symbol network on 50-symbol codes without a word.
 */
export function assertVocabFits(data: Ptb, symbols: number): void {
  if (data.vocab.size !== symbols) {
    throw new DataError(
      `${data.dir}/ptb.train.txt`,
      `${data.vocab.size} symbols, the network takes ${symbols}: not Mikolov's PTB as published (check it with deno task data)`,
    );
  }
}
