/**
 * A run folder: `trainLoop` with its state stored as checkpoints in one
 * folder (`lib/runs/checkpoint.ts`) and its record kept with them — the
 * settings it trained under as phases (`lib/runs/record.ts`), the weight
 * average it continues, the metadata its experiment adds. With `resume`,
 * training goes on exactly where the folder's latest checkpoint stopped.
 * @module
 */
import { join } from "node:path";
import * as tf from "../tf.ts";
import { exists } from "../util/paths.ts";
import { type LoopState, trainLoop, type TrainOptions, type TrainResult } from "../train/loop.ts";
import { type CheckpointMeta, loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { type Continues, enterPhase, type Phase, RESTART_FROM_EXPORT, trainingRecord } from "./record.ts";

/** Options for `trainInFolder`: the loop's, less what the folder supplies. */
export interface FolderOptions extends Omit<TrainOptions, "start" | "onCheckpoint"> {
  /** The run folder. */
  checkpointDir: string;
  /** Go on from the folder's latest checkpoint, if it has one. */
  resume?: boolean;
  /** Keep the checkpoints at multiples of this many steps as well as the newest two. */
  keepEvery?: number;
  /** Extra metadata stored with every checkpoint (config, normalisation stats, ...). */
  meta?: CheckpointMeta;
  /**
   * How this invocation trains. When it differs from the resumed run's last
   * phase, a new phase starts at the current step, so a checkpoint records
   * every setting it was trained under.
   */
  phase?: Omit<Phase, "fromStep" | "restart">;
  /** Called after each checkpoint is written (e.g. to export a shipped copy now and then). */
  afterCheckpoint?: (step: number) => Promise<void>;
}

/** A folder run's result: the loop's, with the record it keeps. */
export interface FolderResult extends TrainResult {
  /** The settings the weights were trained under, oldest first (empty when no `phase` was given). */
  phases: Phase[];
  /** The weight average this run was trained on from, if it was (kept by every later checkpoint). */
  continues?: Continues;
}

/** The loop state a checkpoint holds, and the record beside it. */
async function readState(dir: string) {
  const ck = await loadCheckpoint(dir);
  const m = ck.meta;
  const state: LoopState = {
    step: ck.step,
    tensors: ck.tensors,
    rng: m.rng as number[],
    position: m.position as Record<string, number>,
    epochs: m.epochs as number,
    seconds: m.seconds as number,
    skipped: m.skipped as number,
    history: m.history as LoopState["history"],
    evals: m.evals as LoopState["evals"],
  };
  const record = trainingRecord(m);
  // a weight average trained on: its weights are the average, its phases its first run's
  const continues = record.continues ??
    (record.average ? { step: ck.step, average: record.average } : undefined);
  const phases = m.phases ? record.phases! : [];
  return { state, phases, continues, profile: record.profile?.name };
}

/** Trains in `o.checkpointDir`, checkpointing as it goes (see `FolderOptions`). */
export async function trainInFolder(o: FolderOptions): Promise<FolderResult> {
  const dir = o.checkpointDir;
  let start: LoopState | undefined, phases: Phase[] = [], continues: Continues | undefined;
  let restarted = false;
  if (o.resume && exists(join(dir, "latest.json"))) {
    const r = await readState(dir);
    start = r.state;
    continues = r.continues;
    restarted = !Object.keys(r.state.tensors).some((k) => k.startsWith("opt/")); // weights alone: an export
    // checkpoints from before phases were recorded: one phase under the profile they name
    phases = r.phases.length || !o.phase || !r.profile
      ? r.phases
      : [{ fromStep: 0, profile: r.profile, settings: {} }];
  }
  phases = enterPhase(
    phases,
    start?.step ?? 0,
    o.phase && restarted ? { ...o.phase, restart: RESTART_FROM_EXPORT } : o.phase,
  );
  const running = trainLoop({
    ...o,
    start,
    onCheckpoint: async (s) => {
      await saveCheckpoint(dir, s.step, s.tensors, {
        ...o.meta,
        optimizer: { name: o.optimizer.name, hyper: o.optimizer.hyper },
        rng: s.rng,
        position: s.position,
        epochs: s.epochs,
        seconds: s.seconds,
        skipped: s.skipped,
        history: s.history,
        evals: s.evals,
        phases,
        ...(continues ? { continues } : {}),
      }, { keepEvery: o.keepEvery });
      await o.afterCheckpoint?.(s.step);
    },
  });
  // the loop copied the state in before its first await: the checkpoint's tensors are free now
  if (start) tf.dispose(Object.values(start.tensors));
  const res = await running;
  return { ...res, phases, ...(continues ? { continues } : {}) };
}
