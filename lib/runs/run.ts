/**
 * The shared shape of every long training run: lock the run folder, branch
 * it from another checkpoint of the same experiment (`from`; the shipped one
 * is seeded only this way, never by `resume` alone), train with checkpoints,
 * export the shipped float16 checkpoint, free everything.
 * @module
 */
import { join } from "node:path";
import * as tf from "../tf.ts";
import { displayPath, exists, PROJECT_ROOT } from "../util/paths.ts";
import { type FolderOptions, type FolderResult, trainInFolder } from "./folder.ts";
import { seedRunFromShipped, shipCheckpoint } from "./ship.ts";
import { lockRunFolder } from "./lock.ts";
import { type Checkpoint, holdsCheckpoint, loadCheckpoint, readCheckpointMeta } from "./checkpoint.ts";
import { backendReport } from "../backend.ts";
import type { Settings } from "./settings.ts";
import type { OptimizerSettings } from "../train/optimizers.ts";

/** A named way to train one of the paper's networks (each experiment adds its evaluation size). */
export interface TrainingProfile<C> {
  name: string;
  /** Why these values (stored in run records). */
  why: string;
  model: C;
  /** B parallel streams or lines per update, T steps per truncated segment. */
  batch: number;
  steps: number;
  optimizer: OptimizerSettings;
  epochs: number;
  /** Weight-noise σ (section 3.1: 0.075 for the regularised rows), 0 for none. */
  weightNoise: number;
  /** Adaptive weight noise instead (`lib/train/adaptive_noise.ts`; the paper's best rows). @default false */
  adaptiveNoise?: boolean;
  /**
   * σ every weight starts from under adaptive noise (a run that starts or
   * branches without σ; a resumed one keeps its own). @default 0.075, section 3.1's fixed level
   */
  awnInitStd?: number;
  /**
   * ℷ and ℸ of the RMSProp that updates log σ under adaptive noise: its
   * gradients (about 1/S a step) sit far under the network's ℸ, where σ would
   * barely move. The RMSProp profiles set them (`AWN_SIGMA_PAPER`: the
   * network's ℷ and ℸ); without them log σ shares the network's optimiser.
   */
  awnLearningRate?: number;
  awnEpsilon?: number;
  evalEvery: number;
  checkpointEvery: number;
}

/** A profile of a text network trained on B streams of one long text, its state carried between segments. */
export interface TextStreamProfile<C> extends TrainingProfile<C> {
  /**
   * Zero the carried state every this many segments (0: never within an
   * epoch). Section 3.2 resets every 100 sequences on Wikipedia; the paper
   * does not say for PTB, where, carried for good, the word network's
   * peephole cells integrated without bound (|c| reached 19,000 after 200
   * updates) and a network scored from a zero state went wrong (validation
   * perplexity 715 at step 100, 1,810 at step 200 while the training loss
   * fell).
   */
  resetEvery: number;
}

/** Options every experiment's train function accepts. */
export interface RunOptions {
  /** Working folder for full checkpoints (ignored by git). @default runs/<experiment>-<profile> */
  runDir?: string;
  /** Go on from the run folder's checkpoint; `"last-good"`: from its newest intact one if the latest is damaged. */
  resume?: boolean | "last-good";
  /** Start a folder that holds a run again from step 0 (`FolderOptions.restart`). */
  restart?: boolean;
  /** Stop after this many hours of this run (a checkpoint is written first). */
  maxHours?: number;
  /**
   * Export the shipped float16 checkpoint at the end. By default only when it
   * continues what is shipped: same profile and at least as many steps, or
   * nothing shipped yet — and never for the `quick` smoke profile.
   */
  ship?: boolean;
  /**
   * Also export the shipped checkpoint every this many minutes while training,
   * so a run cut off by the end of a session still leaves its progress behind.
   */
  shipEveryMinutes?: number;
  onProgress?: FolderOptions["onProgress"];
  /** See `FolderOptions.stop`: the CLI stops on SIGINT/SIGTERM this way, checkpointed and shipped. */
  stop?: () => boolean;
  seed?: number;
  /**
   * Start the (new) run folder from this checkpoint — another run's folder or
   * a shipped one, optimiser state and data position included — and continue
   * from there: a branch for an A/B comparison that leaves the original alone.
   */
  from?: string;
  /** Settings to change in the profile by their readable names (`--set`): applied by `train`, recorded in the run's phases. */
  settings?: Settings;
  /** Why this invocation trains as it does (recorded with its phase). */
  reason?: string;
  /** Stop at this step (checkpointed) even if the profile's epochs go further: where a recipe changes a setting. */
  untilStep?: number;
  /** Keep every checkpoint at a multiple of this many steps (snapshots to average), not only the newest two. */
  keepEvery?: number;
}

/**
 * How a checkpoint of another experiment seeds a run of this one
 * (`deno task train writer --from results/checkpoints/synthesis`): its
 * tensors and record converted, e.g. the paper's synthesis network widened
 * to more character classes.
 */
export interface SeedsFrom {
  /** The experiment whose checkpoints it takes. */
  experiment: string;
  /** The converted tensors and record (`meta.experiment` set to this experiment). */
  convert(tensors: Checkpoint["tensors"], meta: Checkpoint["meta"]): Pick<Checkpoint, "tensors" | "meta">;
}

/** Where an experiment's shipped checkpoint lives. */
export const shippedDir = (experiment: string): string =>
  join(PROJECT_ROOT, "results", "checkpoints", experiment);

/**
 * The record of the checkpoint in `dir` (a run folder's latest, or one of its
 * step folders given directly; JSON only, no weights), checked to hold an
 * `experiment` run; the error names the folder.
 */
export function experimentCheckpointMeta(
  dir: string,
  experiment: string,
): ReturnType<typeof readCheckpointMeta> {
  if (!holdsCheckpoint(dir)) {
    throw new Error(
      `${dir}: no checkpoint (no latest.json or model.json); train one with deno task train ${experiment}`,
    );
  }
  const latest = readCheckpointMeta(dir);
  const recorded = latest.meta.experiment;
  if (recorded && recorded !== experiment) {
    throw new Error(`${displayPath(dir)} holds a ${recorded} checkpoint, not a ${experiment} one`);
  }
  return latest;
}

/**
 * Loads the checkpoint in `dir` after checking that it holds an `experiment`
 * run: another experiment's checkpoint (the synthesis network given to
 * `deno task eval ptb`) is refused by name, not by a tensor-shape error.
 */
export async function loadExperimentCheckpoint(dir: string, experiment: string): Promise<Checkpoint> {
  experimentCheckpointMeta(dir, experiment);
  return await loadCheckpoint(dir);
}

/** Whether a run of `profile` that reached `step` may replace the shipped checkpoint. */
function shouldShip(shipped: string, profile: string, step: number): boolean {
  if (profile === "quick") return false;
  if (!exists(join(shipped, "latest.json"))) return true;
  const latest = readCheckpointMeta(shipped);
  return (latest.meta.profile as { name?: string } | undefined)?.name === profile && step >= latest.step;
}

/** The profile fields a run reads. */
type RunProfileFields =
  | "name"
  | "batch"
  | "epochs"
  | "adaptiveNoise"
  | "awnInitStd"
  | "awnLearningRate"
  | "awnEpsilon";

/** Runs `trainInFolder` for `experiment`/`profile` with the project's run-folder and shipping conventions. */
export async function runTraining(
  experiment: string,
  profile: Pick<TrainingProfile<unknown>, RunProfileFields>,
  loop: Omit<FolderOptions, "checkpointDir" | "resume" | "maxSeconds" | "seed" | "adaptiveNoise">,
  o: RunOptions,
  seedsFrom?: SeedsFrom,
): Promise<FolderResult> {
  const runDir = o.runDir ?? join(PROJECT_ROOT, "runs", `${experiment}-${profile.name}`);
  const shipped = shippedDir(experiment);
  // one writer from here on: the branch's seed is written under the lock too
  const unlock = lockRunFolder(runDir);
  try {
    if (o.from) {
      if (exists(join(runDir, "latest.json"))) {
        throw new Error(
          `${runDir} already holds a run: resume it, or branch from ${o.from} into a new folder`,
        );
      }
      // a run folder, or one of its step folders (a snapshot kept with --keep-every), of this experiment
      const other = seedsFrom && readCheckpointMeta(o.from).meta.experiment === seedsFrom.experiment;
      experimentCheckpointMeta(o.from, other ? seedsFrom.experiment : experiment);
      await seedRunFromShipped(o.from, runDir, other ? seedsFrom.convert : undefined);
    }
    return await trainAndShip(experiment, profile, loop, o, runDir, shipped);
  } finally {
    unlock();
  }
}

/** `runTraining` once the run folder is locked and seeded. */
async function trainAndShip(
  experiment: string,
  profile: Pick<TrainingProfile<unknown>, RunProfileFields>,
  loop: Omit<FolderOptions, "checkpointDir" | "resume" | "maxSeconds" | "seed" | "adaptiveNoise">,
  o: RunOptions,
  runDir: string,
  shipped: string,
): Promise<FolderResult> {
  if (o.untilStep !== undefined && o.untilStep > loop.totalSteps) {
    console.log(
      `--until-step ${o.untilStep}: the profile's ${profile.epochs} epochs end first, at step ${loop.totalSteps}; ` +
        `training stops there (more with --set epochs=…)`,
    );
  }
  const stopAt = Math.min(loop.totalSteps, o.untilStep ?? Infinity);
  let lastShip = performance.now();
  const res = await trainInFolder({
    ...loop,
    totalSteps: stopAt,
    seed: o.seed ?? 1,
    checkpointDir: runDir,
    keepEvery: o.keepEvery,
    resume: o.resume || !!o.from,
    restart: o.restart,
    locked: true,
    maxSeconds: o.maxHours ? o.maxHours * 3600 : undefined,
    // the complexity cost is spread over an epoch's sequences: steps per epoch × B
    adaptiveNoise: profile.adaptiveNoise
      ? {
        sequences: (loop.totalSteps / profile.epochs) * profile.batch,
        initStd: profile.awnInitStd,
        learningRate: profile.awnLearningRate,
        epsilon: profile.awnEpsilon,
      }
      : undefined,
    stop: o.stop,
    phase: { profile: profile.name, settings: o.settings ?? {}, ...(o.reason ? { reason: o.reason } : {}) },
    meta: { experiment, profile, backend: backendReport()?.line, ...loop.meta },
    onProgress: o.onProgress ?? loop.onProgress,
    afterCheckpoint: async (step) => {
      if (!o.shipEveryMinutes || performance.now() - lastShip < o.shipEveryMinutes * 60_000) return;
      lastShip = performance.now();
      if (o.ship ?? shouldShip(shipped, profile.name, step)) {
        await shipCheckpoint(runDir, shipped, experiment);
      }
    },
  });
  if ((res.resumedFrom ?? -1) >= stopAt) {
    console.log(
      `${runDir} is at step ${res.resumedFrom}, where this run ends (step ${stopAt}: ` +
        (stopAt === loop.totalSteps ? `the profile's ${profile.epochs} epochs` : "--until-step") +
        `): nothing to train; go on with --set epochs=… or a later --until-step`,
    );
  }
  if (o.ship ?? shouldShip(shipped, profile.name, res.step)) {
    await shipCheckpoint(runDir, shipped, experiment);
  } else if (o.ship === undefined) {
    console.log(`not shipped: ${shipped} holds a longer or different run (pass ship: true to replace it)`);
  }
  tf.dispose([
    ...Object.values(loop.vars),
    ...Object.values(loop.optimizer.slots()),
    ...Object.values(loop.task.stateTensors()),
  ]);
  return res;
}
