/**
 * A trained network read back from a checkpoint folder: the part every
 * experiment's loader shares (its parameters, its model config as trained,
 * the step, epochs, hours and labels of its training record). Each
 * experiment's `open(dir)` (`lib/experiments/*.ts`) adds its own facts
 * (normalisation statistics, charset, regularisation) on top of this.
 * @module
 */
import { type Params, tensorsWithPrefix } from "../nn/params.ts";
import type { Checkpoint } from "./checkpoint.ts";
import { experimentCheckpointMeta, loadExperimentCheckpoint } from "./run.ts";
import { describeTraining, shortLabel } from "./label.ts";
import { trainingRecord } from "./record.ts";

/** What a checkpoint's record holds that every loader reads (profiles add their own fields). */
export interface TrainedMeta<C> {
  profile: { name: string; model: C; weightNoise?: number; adaptiveNoise?: boolean };
  epochs: number;
  seconds: number;
  backend?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A network of experiment `C`'s config, loaded. */
export interface Trained<C> {
  params: Params;
  /** The model config as trained (`profile.model` of its record). */
  config: C;
  checkpoint: Checkpoint;
  /** The checkpoint's record, typed where every experiment's has the same fields. */
  meta: TrainedMeta<C>;
  /** Training step of the checkpoint. */
  step: number;
  /** Epochs and hours of training behind it. */
  epochs: number;
  hours: number;
  /** `shortLabel`'s (at most 120 characters), e.g. "one network · 28.72 epochs · 10.0 h · profile cpu, 6 phases". */
  label: string;
  /** The whole training history in words (`describeTraining`), for `metrics.json`. */
  trainedUnder: string;
  /** The backend it trained on, without its details ("cpu", "webgpu"). */
  backend: string;
}

/** What a checkpoint's record says of its training, without its weights. */
export type TrainedFacts = Pick<Trained<unknown>, "step" | "epochs" | "hours" | "label" | "trainedUnder">;

/** The step, epochs, hours and labels of the checkpoint in `dir` from its record alone (no weights read). */
export function trainedFacts(dir: string, experiment: string): TrainedFacts {
  const { meta, step } = experimentCheckpointMeta(dir, experiment);
  return factsOf(meta as TrainedMeta<unknown>, step);
}

function factsOf(meta: TrainedMeta<unknown>, step: number): TrainedFacts {
  const record = trainingRecord(meta);
  return {
    step,
    epochs: meta.epochs,
    hours: meta.seconds / 3600,
    label: shortLabel(record),
    trainedUnder: describeTraining(record),
  };
}

/**
 * Loads the checkpoint in `dir` (a run's float32 or a shipped float16),
 * refusing another experiment's by name (`loadExperimentCheckpoint`).
 */
export async function loadTrained<C>(dir: string, experiment: string): Promise<Trained<C>> {
  const checkpoint = await loadExperimentCheckpoint(dir, experiment);
  const meta = checkpoint.meta as TrainedMeta<C>;
  return {
    ...factsOf(meta, checkpoint.step),
    params: tensorsWithPrefix(checkpoint.tensors, "param/"),
    config: meta.profile.model,
    checkpoint,
    meta,
    backend: (meta.backend ?? "").split(" (")[0],
  };
}
