/**
 * One experiment definition, the same shape for PTB, Wikipedia, handwriting
 * and synthesis: its named profiles, how its data loads, and how a profile
 * and the data make a model, a task and an evaluation (`setup`).
 * `defineExperiment` turns that into `train`, the one place where a run is
 * assembled (`lib/runs/run.ts` keeps the folder, resumes and ships).
 * @module
 */
import type { Params, ParamSpec } from "../nn/params.ts";
import { initParams } from "../nn/params.ts";
import { optimizerFrom } from "../train/optimizers.ts";
import { applySettings } from "../runs/settings.ts";
import type { Task } from "../train/tasks.ts";
import { consoleProgress } from "../train/progress.ts";
import type { FolderResult } from "../runs/folder.ts";
import type { HeadlineRow, ReadResult } from "../report/headline.ts";
import type { FileKind, GalleryEntry } from "../report/results_index.ts";
import type { Scoring } from "./scoring.ts";
import type { CheckpointMeta } from "../runs/checkpoint.ts";
import {
  type RunOptions,
  runTraining,
  type SeedsFrom,
  shippedDir,
  type TrainingProfile,
} from "../runs/run.ts";

export type { SeedsFrom };

/** What a profile and the data make: everything a run of the experiment trains and scores. */
export interface ExperimentSetup<C> {
  /** The model's config as trained (e.g. with the data's symbol count filled in). */
  model: C;
  /** Its parameters' names and shapes. */
  specs: Record<string, ParamSpec>;
  task: Task;
  /** Optimiser steps in one epoch of the training data. */
  stepsPerEpoch: number;
  /** The validation scores recorded at each evaluation. */
  evaluate: (p: Params) => Record<string, number>;
  /** What the data adds to the run's record (vocabulary, normalisation statistics, fingerprints). */
  meta: CheckpointMeta;
  /** The keys of `meta` a resumed run must match (default: all of them). */
  sameRun?: string[];
  /** Paths into `meta` where a float16 export being continued may differ (a parser-versioned fingerprint). */
  exportMayDiffer?: string[];
}

/**
 * An experiment as written in `lib/experiments/<name>.ts`: how it trains
 * (`profiles`, `loadData`, `setup`), how a checkpoint of it is loaded
 * (`open`), scored (`scoring`) and reported (`results`, `headline`). The
 * commands (`deno task train|eval|ship|…`) and the README's table read these
 * and name no experiment: adding one is its files plus one line in
 * `registry.ts`.
 */
export interface ExperimentDef<P extends TrainingProfile<unknown>, D, N = unknown> {
  /** The name commands take: `deno task train <name>`. */
  name: string;
  /** What one symbol of its data is, for progress lines: chars, bytes, points. */
  unit: string;
  profiles: Record<string, P>;
  /** The profile `deno task train <name>` uses without `--profile`. */
  defaultProfile: string;
  /** Its training and validation data. */
  loadData: () => D | Promise<D>;
  /** Its one loader: a checkpoint folder (a run's or the shipped one) → its network, config and data facts. */
  open: (dir: string) => Promise<N>;
  /** The folder its notebook's results live in, under `results/` (e.g. `01_text_ptb`). */
  results: string;
  /** True for a network that writes text (its `open` gives a charset): `deno task write` takes its checkpoints. */
  writes?: boolean;
  /** The checkpoint `deno task eval` scores without `--checkpoint` (default: the shipped one). */
  defaultCheckpoint?: string;
  /** How `deno task eval <name>` scores a checkpoint; none: the command says so. */
  scoring?: Scoring;
  /** The kinds of result file only it writes, described for `results/README.md`. */
  files?: readonly FileKind[];
  /** Its figures beside the paper's, for `results/README.md`'s gallery (shown when the PNG exists). */
  gallery?: readonly GalleryEntry[];
  /** Its rows of the README's headline table, from its result files (none when they are absent). */
  headline?: (read: ReadResult) => HeadlineRow[];
  /** Another experiment whose checkpoints `--from` may start this one from, converted. */
  seedsFrom?: SeedsFrom;
  setup: (profile: P, data: D, seed: number) => ExperimentSetup<P["model"]>;
}

/** An experiment ready to train. */
export interface Experiment<P extends TrainingProfile<unknown>, D, N = unknown>
  extends ExperimentDef<P, D, N> {
  /** Where its shipped float16 checkpoint lives (`results/checkpoints/<name>`). */
  shipped: string;
  /**
   * Trains (or resumes, or branches) a run of `profile` with `o.settings`
   * changed (by their readable names, checked; recorded in the run's phases
   * and its label); `o.data` skips loading.
   * @example From a notebook: the learning rate changed, and said in the record.
   * ```ts ignore
   * await g.PTB.train(g.PTB_PROFILES.cpu, { settings: { learningRate: 3e-4 }, runDir: "runs/lr", ship: false });
   * ```
   */
  train(profile: P, o?: RunOptions & { data?: D }): Promise<FolderResult>;
}

/** Adds `train` and `shipped` to an experiment's definition. */
export function defineExperiment<P extends TrainingProfile<unknown>, D, N>(
  def: ExperimentDef<P, D, N>,
): Experiment<P, D, N> {
  return {
    ...def,
    shipped: shippedDir(def.name),
    async train(named, o = {}) {
      // the settings are applied here and recorded with the run's phase: said once, by the caller
      const profile = applySettings(named, o.settings ?? {});
      const data = o.data ?? await def.loadData();
      const seed = o.seed ?? 1;
      const s = def.setup(profile, data, seed);
      const run = { ...profile, model: s.model };
      return runTraining(
        def.name,
        run,
        {
          vars: initParams(s.specs, seed),
          optimizer: optimizerFrom(profile.optimizer),
          task: s.task,
          totalSteps: Math.max(1, Math.round(profile.epochs * s.stepsPerEpoch)),
          weightNoise: profile.weightNoise,
          evalEvery: profile.evalEvery,
          evaluate: s.evaluate,
          checkpointEvery: profile.checkpointEvery,
          meta: { profile: run, ...s.meta },
          // resuming is only for the same run: the same data and model as the checkpoint's
          sameRun: {
            ...Object.fromEntries((s.sameRun ?? Object.keys(s.meta)).map((k) => [k, s.meta[k]])),
            "profile.model": s.model,
          },
          exportMayDiffer: s.exportMayDiffer,
          onProgress: consoleProgress(def.unit),
        },
        o,
        def.seedsFrom,
      );
    },
  };
}
