/**
 * Weight averaging of run checkpoints: the uniform mean of the parameters of
 * several runs branched from one training run (a "model soup", Wortsman et
 * al. 2022; Polyak averaging across runs), or of snapshots along one run
 * (stochastic weight averaging, Izmailov et al. 2018). Not in the
 * paper, which reports single networks: the averaged checkpoint's record says
 * which runs went into it, and its hours count all the training they took,
 * the history they share counted once.
 * @module
 */
import * as tf from "../tf.ts";
import { branchStep } from "./compare.ts";
import { exists } from "../util/paths.ts";
import { join } from "node:path";
import { loadCheckpoint, saveCheckpoint, stepFolderOf } from "./checkpoint.ts";
import type { Checkpoint, CheckpointMeta } from "./checkpoint.ts";
import type { HistoryRow } from "../train/loop.ts";
import { type Phase, trainingRecord } from "./record.ts";

/** One run that went into an averaged checkpoint. */
export interface AverageMember {
  /** The run folder, as given. */
  run: string;
  step: number;
  epochs: number;
  /** Hours of training behind this run's checkpoint (its shared trunk included). */
  hours: number;
  /** The step after which it left the runs listed before it (0: none shared). */
  branchedAfter: number;
  phases: Phase[];
}

/** What an averaged checkpoint records about its members (`meta.average`). */
export interface AverageRecord {
  members: AverageMember[];
}

interface RunMeta {
  experiment?: string;
  epochs?: number;
  seconds?: number;
  phases?: unknown[];
  history?: HistoryRow[];
  historyBlock?: number;
  average?: AverageRecord;
  continues?: unknown;
  profile?: { name: string; model?: unknown };
}

/** Seconds into `history` at `step` (0 before its first row). */
function secondsAt(history: HistoryRow[], step: number): number {
  return history.findLast((r) => r.step <= step)?.seconds ?? 0;
}

/**
 * The members' record and the training time they took together: each run's
 * seconds, less the history it shares with the runs before it (the trunk
 * they branched from is counted once).
 */
export function averageRecord(runs: { run: string; step: number; meta: RunMeta }[]): {
  members: AverageMember[];
  seconds: number;
} {
  let seconds = 0;
  const members = runs.map(({ run, step, meta }, i) => {
    const history = meta.history ?? [];
    const branchedAfter = Math.max(
      0,
      ...runs.slice(0, i).map((r) => branchStep(history, r.meta.history ?? [])),
    );
    seconds += (meta.seconds ?? 0) - secondsAt(history, branchedAfter);
    return {
      run,
      step,
      epochs: meta.epochs ?? 0,
      hours: (meta.seconds ?? 0) / 3600,
      branchedAfter,
      phases: trainingRecord(meta as Record<string, unknown>).phases ?? [],
    };
  });
  return { members, seconds };
}

/** Why `b` cannot be averaged with `a`, or undefined. */
function mismatch(a: Checkpoint, b: Checkpoint): string | undefined {
  const ma = a.meta as RunMeta, mb = b.meta as RunMeta;
  if (mb.historyBlock) return "a shipped checkpoint (its curve is thinned): average run folders";
  if (mb.average) return "already an average: list its runs instead";
  if (JSON.stringify(ma.continues) !== JSON.stringify(mb.continues)) {
    return mb.continues
      ? "trained on from a weight average the first run does not continue"
      : "not trained on from the weight average the first run continues";
  }
  if (ma.experiment !== mb.experiment) return `a ${mb.experiment} run, not ${ma.experiment}`;
  if (JSON.stringify(ma.profile?.model) !== JSON.stringify(mb.profile?.model)) {
    return "another model configuration";
  }
  const names = (c: Checkpoint) => Object.keys(c.tensors).filter((k) => k.startsWith("param/")).sort();
  if (JSON.stringify(names(a)) !== JSON.stringify(names(b))) return "other parameter names";
  const bad = names(a).find((k) => !tf.util.arraysEqual(a.tensors[k].shape, b.tensors[k].shape));
  return bad ? `${bad} has shape [${b.tensors[bad].shape}], not [${a.tensors[bad].shape}]` : undefined;
}

/**
 * Writes to `outDir` the uniform mean of the parameters of the latest
 * checkpoints of `runs` (run folders of one experiment and model, or step
 * folders of them given directly: snapshots kept along a run). Everything
 * else (optimiser state, data position, curve, phases) is the first run's, so
 * `deno task train --resume --run-dir outDir` continues that run from the
 * averaged weights; `epochs` is the largest of the members', `seconds` their
 * training time together and `average` lists them.
 */
export async function averageCheckpoints(
  runs: string[],
  outDir: string,
): Promise<{ step: number; path: string; meta: CheckpointMeta }> {
  if (runs.length < 2) throw new Error("averaging needs at least two run folders");
  // the same checkpoint twice (a run and its own latest step folder, a path spelled two ways) is one member
  const real = runs.map((r) => Deno.realPathSync(stepFolderOf(r)));
  const twice = real.findIndex((p, i) => real.indexOf(p) !== i);
  if (twice >= 0) {
    throw new Error(
      `${runs[twice]} is the same checkpoint as ${runs[real.indexOf(real[twice])]}: name each member once`,
    );
  }
  if (exists(join(outDir, "latest.json"))) {
    throw new Error(`${outDir} already holds a checkpoint: choose a new folder`);
  }
  // One member in memory at a time besides the first (kept whole: its optimiser
  // state and data position go on): 2 × 54M-weight word checkpoints with their
  // optimiser state, where all of them at once ran out of wasm's 4 GB.
  const first = await loadCheckpoint(runs[0]);
  const keys = Object.keys(first.tensors).filter((k) => k.startsWith("param/"));
  const sum: Record<string, tf.Tensor> = {};
  const seen = [{ run: runs[0], step: first.step, meta: first.meta as RunMeta }];
  try {
    const whyFirst = mismatch(first, first); // a shipped checkpoint or an average is refused first too
    if (whyFirst) throw new Error(`${runs[0]}: cannot average: ${whyFirst}`);
    for (const k of keys) sum[k] = tf.clone(first.tensors[k]);
    for (const run of runs.slice(1)) {
      const ck = await loadCheckpoint(run);
      try {
        const why = mismatch(first, ck);
        if (why) throw new Error(`${run}: cannot average with ${runs[0]}: ${why}`);
        for (const k of keys) {
          const s = tf.add(sum[k], ck.tensors[k]);
          sum[k].dispose();
          sum[k] = s;
        }
        seen.push({ run, step: ck.step, meta: ck.meta as RunMeta });
      } finally {
        tf.dispose(Object.values(ck.tensors));
      }
    }
    for (const k of keys) {
      const m = tf.div(sum[k], runs.length);
      sum[k].dispose();
      sum[k] = m;
    }
    const { members, seconds } = averageRecord(seen);
    const meta = {
      ...first.meta,
      epochs: Math.max(...members.map((m) => m.epochs)),
      seconds,
      average: { members } satisfies AverageRecord,
    };
    const path = await saveCheckpoint(outDir, first.step, { ...first.tensors, ...sum }, meta);
    return { step: first.step, path, meta };
  } finally {
    tf.dispose(Object.values(sum));
    tf.dispose(Object.values(first.tensors));
  }
}
