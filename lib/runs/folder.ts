/**
 * A run folder: `trainLoop` with its state stored as checkpoints in one
 * folder (`lib/runs/checkpoint.ts`) and its record kept with them — the
 * settings it trained under as phases (`lib/runs/record.ts`), the weight
 * average it continues, the metadata its experiment adds. With `resume`,
 * training goes on exactly where the folder's latest checkpoint stopped —
 * only for the same run: what `sameRun` names (data, vocabulary,
 * normalisation, model) must match the checkpoint's. One process writes a
 * folder at a time (`lib/runs/lock.ts`); what killed writes left is removed
 * first.
 * @module
 */
import { join } from "node:path";
import * as tf from "../tf.ts";
import { exists } from "../util/paths.ts";
import { type LoopState, trainLoop, type TrainOptions, type TrainResult } from "../train/loop.ts";
import { type CheckpointMeta, loadCheckpoint, recoverFolder, saveCheckpoint } from "./checkpoint.ts";
import { lockRunFolder } from "./lock.ts";
import { DivergenceError } from "../train/divergence.ts";
import { displayPath } from "../util/paths.ts";
import {
  canonical,
  type Continues,
  enterPhase,
  type Phase,
  RESTART_FROM_EXPORT,
  trainingRecord,
} from "./record.ts";

/** Options for `trainInFolder`: the loop's, less what the folder supplies. */
export interface FolderOptions extends Omit<TrainOptions, "start" | "onCheckpoint"> {
  /** The run folder. */
  checkpointDir: string;
  /**
   * Go on from the folder's latest checkpoint, if it has one; `"last-good"`
   * goes on from the newest intact one when the latest is damaged (and says so).
   */
  resume?: boolean | "last-good";
  /**
   * Start again from step 0 in a folder that holds a run, removing its
   * checkpoints (said). Without it or `resume`, such a folder is refused:
   * a forgotten `--resume` never throws a run away.
   */
  restart?: boolean;
  /**
   * What must be the same in the checkpoint's record for a resume to be the
   * same run (data fingerprint, vocabulary, normalisation statistics, model);
   * any difference refuses it, naming what differs.
   */
  sameRun?: Record<string, unknown>;
  /**
   * The same, compared only where the checkpoint records the key (older
   * records lack some): what gives the saved data position its meaning (batch,
   * truncation length, state resets). A change is refused by name.
   */
  sameRunIfRecorded?: Record<string, unknown>;
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
  /** The caller holds the folder's lock already (`lockRunFolder`). */
  locked?: boolean;
  /**
   * Paths into the record (`data.iamondb`) where a float16 export being
   * continued may differ from the data now: a fingerprint that changes with
   * the parser's version. The difference is said and recorded in the phase.
   */
  exportMayDiffer?: string[];
}

/** A folder run's result: the loop's, with the record it keeps. */
export interface FolderResult extends TrainResult {
  /** The settings the weights were trained under, oldest first (empty when no `phase` was given). */
  phases: Phase[];
  /** The weight average this run was trained on from, if it was (kept by every later checkpoint). */
  continues?: Continues;
}

/** A run folder's own entries: its step folders and `latest.json`. */
const RUN_ENTRY = /^step-\d+$|^latest\.json$/;

/** Whether `dir` holds a run: a `latest.json` or any step folder. */
function holdsRun(dir: string): boolean {
  return exists(dir) && [...Deno.readDirSync(dir)].some((e) => RUN_ENTRY.test(e.name));
}

/** The value at a dotted `path` ("profile.model") inside `root`. */
const pathIn = (root: unknown, path: string): unknown =>
  path.split(".").filter(Boolean).reduce<unknown>((x, p) => (x as Record<string, unknown>)?.[p], root);

/** The step a run folder holds, for messages ("unreadable" when its pointer is damaged). */
function heldStep(dir: string): string {
  try {
    return JSON.parse(Deno.readTextFileSync(join(dir, "latest.json"))).step.toLocaleString("en-US");
  } catch {
    const steps = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => /^step-\d+$/.test(n)).sort();
    return steps.length
      ? `${Number(steps[steps.length - 1].slice(5)).toLocaleString("en-US")} (newest step folder)`
      : "?";
  }
}

/** A record's value in short, for messages. */
const brief = (v: unknown) => {
  const s = JSON.stringify(v) ?? "nothing";
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
};

/**
 * Throws when the checkpoint's record differs from `same` in any key, naming
 * each difference. Differences at the paths in `tolerate` (into the record:
 * `data.iamondb`) are not refused but returned as notes.
 */
export function assertSameRun(
  dir: string,
  meta: CheckpointMeta,
  same: Record<string, unknown> = {},
  tolerate: string[] = [],
): string[] {
  // a key may be a path into the record: "profile.model"
  const at = (k: string) => pathIn(meta, k);
  const notes = tolerate.filter((k) => at(k) !== undefined && canonical(at(k)) !== canonical(atPath(same, k)))
    .map((k) => `${k} was ${brief(at(k))}, now ${brief(atPath(same, k))}`);
  const differs = Object.entries(same).filter(([k, v]) =>
    canonical(without(at(k), k, tolerate)) !== canonical(without(v, k, tolerate))
  );
  if (differs.length === 0) return notes;
  throw new Error(
    `${displayPath(dir)} holds another run: ${
      differs.map(([k, v]) => `${k} was ${brief(at(k))}, now ${brief(v)}`).join("; ")
    } (resume it with what it was trained on, or train into a new --run-dir)`,
  );
}

/** The value at dotted `path` of `same`, whose keys may themselves be paths ("profile.model"). */
function atPath(same: Record<string, unknown>, path: string): unknown {
  const key = Object.keys(same).find((k) => path === k || path.startsWith(`${k}.`));
  return key === undefined ? undefined : pathIn(same[key], path.slice(key.length));
}

/** `value` (the record at `key`) less the tolerated paths below it. */
function without(value: unknown, key: string, tolerate: string[]): unknown {
  const inside = tolerate.filter((t) => t.startsWith(`${key}.`)).map((t) => t.slice(key.length + 1));
  if (!inside.length || typeof value !== "object" || value === null) return value;
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const path of inside) {
    const cut = path.lastIndexOf(".");
    const parent = pathIn(copy, path.slice(0, Math.max(cut, 0)));
    if (parent && typeof parent === "object") delete (parent as Record<string, unknown>)[path.slice(cut + 1)];
  }
  return copy;
}

/** The loop state a checkpoint holds, and the record beside it. */
async function readState(dir: string, o: FolderOptions) {
  const ck = await loadCheckpoint(dir, { lastGood: o.resume === "last-good" });
  if (ck.fellBackFrom) {
    console.log(
      `${displayPath(ck.fellBackFrom)} is damaged: going on from ${
        displayPath(ck.path)
      } (--resume=last-good)`,
    );
  }
  const m = ck.meta;
  // a float16 export restarts its optimiser as a new phase: it may come from an earlier parse of the same corpus
  const isExport = !Object.keys(ck.tensors).some((k) => k.startsWith("opt/"));
  let notes: string[] = [];
  try {
    const same = {
      ...o.sameRun,
      ...Object.fromEntries(
        Object.entries(o.sameRunIfRecorded ?? {}).filter(([k]) => pathIn(m, k) !== undefined),
      ),
    };
    notes = assertSameRun(dir, m, same, isExport ? o.exportMayDiffer : []);
  } catch (e) {
    tf.dispose(Object.values(ck.tensors));
    throw e;
  }
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
  for (const n of notes) console.log(`${displayPath(dir)}: continuing an export whose ${n}`);
  return { state, phases, continues, profile: record.profile?.name, notes, isExport };
}

/** Trains in `o.checkpointDir`, checkpointing as it goes, holding the folder's lock (see `FolderOptions`). */
export async function trainInFolder(o: FolderOptions): Promise<FolderResult> {
  const dir = o.checkpointDir;
  const unlock = o.locked ? () => {} : lockRunFolder(dir);
  try {
    for (const line of recoverFolder(dir)) console.log(`${displayPath(dir)}: ${line}`);
    return await trainLocked(o);
  } finally {
    unlock();
  }
}

async function trainLocked(o: FolderOptions): Promise<FolderResult> {
  const dir = o.checkpointDir;
  let start: LoopState | undefined, phases: Phase[] = [], continues: Continues | undefined;
  let restarted = false, saved = -1, notes: string[] = [];
  if (o.resume && exists(join(dir, "latest.json"))) {
    const r = await readState(dir, o);
    start = r.state;
    saved = r.state.step;
    continues = r.continues;
    notes = r.notes;
    restarted = r.isExport; // weights alone: an export
    // checkpoints from before phases were recorded: one phase under the profile they name
    phases = r.phases.length || !o.phase || !r.profile
      ? r.phases
      : [{ fromStep: 0, profile: r.profile, settings: {} }];
  } else if (o.resume) {
    console.log(`${displayPath(dir)}: no checkpoint to resume: training from step 0`);
  } else if (holdsRun(dir)) {
    const held = heldStep(dir);
    if (!o.restart) {
      throw new Error(
        `${displayPath(dir)} holds a run at step ${held}: go on with --resume, ` +
          `start it again from step 0 with --restart (its checkpoints are removed), or train into another --run-dir`,
      );
    }
    for (const e of Deno.readDirSync(dir)) {
      if (RUN_ENTRY.test(e.name)) Deno.removeSync(join(dir, e.name), { recursive: true });
    }
    console.log(`${displayPath(dir)}: --restart: removed the run at step ${held}; training from step 0`);
  }
  phases = enterPhase(
    phases,
    start?.step ?? 0,
    o.phase && restarted
      ? {
        ...o.phase,
        restart: RESTART_FROM_EXPORT,
        ...(notes.length ? { reason: [o.phase.reason, ...notes].filter(Boolean).join("; ") } : {}),
      }
      : o.phase,
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
      saved = s.step;
      await o.afterCheckpoint?.(s.step);
    },
  });
  // the loop copied the state in before its first await: the checkpoint's tensors are free now
  if (start) tf.dispose(Object.values(start.tensors));
  try {
    const res = await running;
    return { ...res, phases, ...(continues ? { continues } : {}) };
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    const kept = saved >= 0
      ? `its checkpoint of step ${saved.toLocaleString("en-US")} is kept`
      : "nothing was written";
    throw new DivergenceError(e.step, `${e.reason}; ${displayPath(dir)}: ${kept}`);
  }
}
