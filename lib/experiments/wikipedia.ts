/**
 * Wikipedia / enwik8 experiment (section 3.2, Table 2): byte-level prediction
 * with a deep LSTM, 100-byte segments with the state carried across them and
 * reset every 100 segments. Works on any prefix of enwik8; every report says
 * which.
 * @module
 */
import { type Enwik8, loadEnwik8 } from "../data/enwik8.ts";
import { StreamBatcher } from "../data/streams.ts";
import { type TextConfig, textSpecs, WIKIPEDIA_PAPER } from "../models/text.ts";
import { RMSPROP_PAPER } from "../train/optimizers.ts";
import { TextStreamTask } from "../train/tasks.ts";
import { evaluateText } from "../eval/evaluate.ts";
import type { TextStreamProfile } from "../runs/run.ts";
import { defineExperiment } from "./define.ts";
import { loadTextModel, type PtbModel } from "./ptb_score.ts";
import { wikipediaHeadline, wikipediaScoring } from "./wikipedia_eval.ts";
import * as tf from "../tf.ts";

/** A Wikipedia training profile; `model.symbols` is set from the data. */
export interface WikipediaProfile extends TextStreamProfile<TextConfig> {
  /** Validation symbols scored at each evaluation (a prefix, for speed). */
  evalSymbols: number;
}

/** Table 2's network: 7 × 700 cells with skips, SGD 1e−4 with momentum 0.9, 4 epochs. */
export const WIKIPEDIA_PROFILE_PAPER: WikipediaProfile = {
  name: "paper",
  why:
    "Table 2: seven layers of 700 cells, SGD (1e-4, momentum 0.9), 4 epochs, state reset every 100 sequences",
  model: WIKIPEDIA_PAPER,
  batch: 32,
  steps: 100,
  optimizer: { name: "sgd-momentum", hyper: { learningRate: 1e-4, momentum: 0.9 } },
  epochs: 4,
  weightNoise: 0,
  evalEvery: 500,
  checkpointEvery: 100,
  resetEvery: 100,
  evalSymbols: 100_000,
};

/**
 * What trains meaningfully on 2 CPU cores in a few hours on the 4.2 MB prefix:
 * three layers of 400 cells with the paper's skip connections (about 4.4M
 * weights, a fifth of the paper's), the paper's RMSProp. A 7 × 700 network
 * would see under one epoch of the prefix in that time.
 */
export const WIKIPEDIA_PROFILE_CPU: WikipediaProfile = {
  ...WIKIPEDIA_PROFILE_PAPER,
  name: "cpu",
  why:
    "CPU budget: 3 × 400 cells with skips (a fifth of the paper's weights) on the enwik8 prefix, the paper's RMSProp",
  model: { symbols: 205, cells: 400, layers: 3, clip: 1 },
  optimizer: { name: "rmsprop", hyper: { ...RMSPROP_PAPER } },
  epochs: 20,
};

/** CI smoke run. */
export const WIKIPEDIA_PROFILE_QUICK: WikipediaProfile = {
  ...WIKIPEDIA_PROFILE_CPU,
  name: "quick",
  why: "CI smoke run",
  epochs: 0.005,
  evalEvery: 0,
  checkpointEvery: 0,
};

/** Profiles by name. */
export const WIKIPEDIA_PROFILES = {
  paper: WIKIPEDIA_PROFILE_PAPER,
  cpu: WIKIPEDIA_PROFILE_CPU,
  quick: WIKIPEDIA_PROFILE_QUICK,
};

/**
 * Loads a Wikipedia checkpoint for scoring or sampling on `data`, after
 * checking that its byte table (the symbols it was trained on) is this
 * copy's: another prefix of enwik8 can have other bytes.
 */
export async function loadWikipediaModel(dir: string, data: Enwik8 = loadEnwik8()): Promise<PtbModel> {
  const model = await loadTextModel(dir, "wikipedia", WIKIPEDIA_PROFILES);
  const bytes = model.checkpoint.meta.bytes as number[] | undefined;
  if (!bytes || bytes.length !== data.size || bytes.some((b, i) => b !== data.bytes[i])) {
    tf.dispose(Object.values(model.params));
    throw new Error(
      `${dir}: the checkpoint's byte table (${
        bytes?.length ?? "no"
      } symbols) differs from this enwik8 copy's (${data.size}): retrain with deno task train wikipedia`,
    );
  }
  return model;
}

/** Section 3.2's experiment on the enwik8 copy found (any prefix; the record says which). */
export const WIKIPEDIA = defineExperiment<WikipediaProfile, Enwik8, PtbModel>({
  name: "wikipedia",
  unit: "bytes",
  profiles: WIKIPEDIA_PROFILES,
  defaultProfile: "cpu",
  loadData: () => loadEnwik8(),
  open: (dir) => loadWikipediaModel(dir),
  results: "02_text_wikipedia",
  scoring: wikipediaScoring(loadWikipediaModel),
  headline: wikipediaHeadline,
  gallery: [
    {
      png: "02_text_wikipedia/fig_real_vs_generated.png",
      paper: "section 3.2's samples",
      compare:
        "XML page structure, links and categories as in the paper's; most words invented (a 3×400 net on a 4.2% prefix)",
    },
  ],
  setup: (profile, data) => {
    const model = { ...profile.model, symbols: data.size };
    const stream = new StreamBatcher(data.train, profile.batch, profile.steps);
    const valid = data.valid.subarray(0, profile.evalSymbols);
    return {
      model,
      specs: textSpecs(model),
      task: new TextStreamTask(model, stream, profile.resetEvery),
      stepsPerEpoch: stream.segments,
      evaluate: (p) => ({ valid_bpc: evaluateText(p, model, valid) }),
      meta: { bytes: Array.from(data.bytes), dataBytes: data.dataBytes, caveat: data.caveat },
      sameRun: ["bytes", "dataBytes"],
    };
  },
});
