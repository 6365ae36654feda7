/**
 * Penn Treebank experiment (section 3.1, Table 1): named training profiles
 * and the run that trains, checkpoints, resumes and exports the shipped
 * checkpoint. Notebook 01 and `deno task train ptb` both call this.
 * @module
 */
import { loadPtb, type Ptb } from "../data/ptb.ts";
import { StreamBatcher } from "../data/streams.ts";
import { PTB_PAPER, type TextConfig, textSpecs } from "../models/text.ts";
import { initParams } from "../nn/params.ts";
import { optimizerFrom } from "../train/optimizers.ts";
import { TextStreamTask } from "../train/tasks.ts";
import type { TrainResult } from "../train/loop.ts";
import { shipCheckpoint } from "../train/ship.ts";
import { type RunOptions, runTraining, shippedDir, type TrainingProfile } from "./run.ts";
import { evaluateText } from "../train/evaluate.ts";
import { consoleProgress } from "../train/progress.ts";

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
  optimizer: { name: "sgd-momentum", hyper: { lr: 1e-4, momentum: 0.99 } },
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
  optimizer: { name: "rmsprop", hyper: { aleph: 0.95, beth: 0.9, gimel: 1e-4, daleth: 1e-4 } },
};

/** The CPU profile with adaptive weight noise (`--resume` starts it from the shipped weights). */
export const PTB_PROFILE_CPU_AWN: PtbProfile = {
  ...PTB_PROFILE_CPU,
  name: "cpu-awn",
  why: "the CPU profile with adaptive weight noise (Table 1's last rows), RMSProp",
  adaptiveNoise: true,
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

/** Where the shipped (float16) PTB checkpoint lives. */
export const PTB_SHIPPED = shippedDir("ptb");

/** Options for `trainPtb`. */
export interface TrainPtbOptions extends RunOptions {
  data?: Ptb;
}

/**
 * Trains (or resumes) the PTB network under `profile`. With `resume` and no run
 * folder yet, continues from the shipped checkpoint's weights and position.
 */
export function trainPtb(profile: PtbProfile, o: TrainPtbOptions = {}): Promise<TrainResult> {
  const data = o.data ?? loadPtb();
  const stream = new StreamBatcher(data.train, profile.batch, profile.steps);
  const valid = data.valid.subarray(0, profile.evalSymbols);
  return runTraining("ptb", profile, {
    vars: initParams(textSpecs(profile.model), o.seed ?? 1),
    optimizer: optimizerFrom(profile.optimizer.name, profile.optimizer.hyper),
    task: new TextStreamTask(profile.model, stream),
    totalSteps: Math.round(profile.epochs * stream.segments),
    weightNoise: profile.weightNoise,
    evalEvery: profile.evalEvery,
    evaluate: (p) => ({ valid_bpc: evaluateText(p, profile.model, valid) }),
    checkpointEvery: profile.checkpointEvery,
    meta: { profile, vocab: data.vocab.symbols },
    onProgress: consoleProgress("chars"),
  }, o);
}

/** Exports the latest checkpoint of a PTB run to `results/checkpoints/ptb` (float16). */
export function shipPtb(runDir: string): Promise<void> {
  return shipCheckpoint(runDir, PTB_SHIPPED);
}
