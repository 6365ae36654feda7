/**
 * Shipped checkpoints: the weights of a training run exported as float16 to
 * `results/checkpoints/<experiment>/` (small enough for git), with the run's
 * record and a thinned learning curve. A later `--resume` with no run folder
 * continues from them (optimiser state restarts).
 * @module
 */
import * as tf from "../tf.ts";
import {
  type CheckpointMeta,
  isLeftover,
  loadCheckpoint,
  readCheckpointMeta,
  recoverFolder,
  saveCheckpoint,
} from "./checkpoint.ts";
import { lockRunFolder } from "./lock.ts";
import { join } from "node:path";
import { displayPath, exists } from "../util/paths.ts";
import type { HistoryRow } from "../train/loop.ts";

/** Steps per learning-curve point in shipped checkpoints. */
export const HISTORY_BLOCK = 20;

/**
 * Mean loss of each block of `n` steps (steps 1-n, n+1-2n, …), labelled with
 * its last row: a shipped checkpoint's thinned curve. Blocks are keyed by step,
 * so rows already thinned (one per block) pass through unchanged and a run
 * resumed from a shipped checkpoint thins only its own new rows; the block a
 * run stopped inside is left out.
 */
export function blockMeans(rows: HistoryRow[], n: number): HistoryRow[] {
  const out: HistoryRow[] = [];
  for (let i = 0; i < rows.length;) {
    const block = Math.ceil(rows[i].step / n);
    let j = i;
    while (j < rows.length && Math.ceil(rows[j].step / n) === block) j++;
    const b = rows.slice(i, j);
    if (b[b.length - 1].step === block * n) {
      out.push({ ...b[b.length - 1], loss: b.reduce((a, r) => a + r.loss, 0) / b.length });
    }
    i = j;
  }
  return out;
}

/**
 * Refuses a ship target that is not empty and not a shipped checkpoint of
 * `experiment`: a ship replaces one float16 export and nothing else, so a run
 * folder (its snapshots, optimiser state) or another experiment's export is
 * never emptied by `ship … --to`.
 */
export function assertShipTarget(to: string, experiment?: string): void {
  if (!exists(to)) return;
  // its lock and what killed writes left (recoverFolder clears them under the lock) are not its contents
  const names = [...Deno.readDirSync(to)].map((e) => e.name)
    .filter((n) => n !== ".lock" && !isLeftover(n));
  if (names.length === 0) return;
  const steps = names.filter((n) => /^step-\d+$/.test(n));
  const other = names.filter((n) => n !== "latest.json" && !steps.includes(n));
  const where = displayPath(to);
  if (other.length) {
    throw new Error(
      `${where} holds other files (${other.slice(0, 3).join(", ")}): ship into an empty folder`,
    );
  }
  // a ship killed before it removed the copy it replaced leaves two shipped step folders: still a ship folder
  const shippedStep = (n: string) => {
    try {
      return !!readCheckpointMeta(join(to, n)).meta.shippedFrom;
    } catch {
      return false;
    }
  };
  if (steps.length > 1 && !steps.every(shippedStep)) {
    throw new Error(
      `${where} holds ${steps.length} step folders, a run folder: ship into a shipped folder or a new one`,
    );
  }
  const meta = readCheckpointMeta(to).meta;
  if (!meta.shippedFrom) {
    throw new Error(`${where} holds a training run's checkpoint, not a shipped one: ship into a new folder`);
  }
  if (experiment && meta.experiment && meta.experiment !== experiment) {
    throw new Error(`${where} holds the shipped ${meta.experiment} network, not a ${experiment} one`);
  }
}

/**
 * Exports the latest checkpoint of `runDir` (weights as float16, record,
 * thinned curve) to `shippedDir`, which must be empty or hold a shipped
 * checkpoint of the same experiment (`assertShipTarget`); one writer at a
 * time (`lockRunFolder`).
 */
export async function shipCheckpoint(runDir: string, shippedDir: string, experiment?: string): Promise<void> {
  assertShipTarget(shippedDir, experiment);
  const unlock = lockRunFolder(shippedDir);
  try {
    recoverFolder(shippedDir);
    await shipLocked(runDir, shippedDir);
  } finally {
    unlock();
  }
}

async function shipLocked(runDir: string, shippedDir: string): Promise<void> {
  const ck = await loadCheckpoint(runDir);
  const params = Object.fromEntries(Object.entries(ck.tensors).filter(([k]) => k.startsWith("param/")));
  const step = ck.step;
  const history = blockMeans((ck.meta.history as HistoryRow[] | undefined) ?? [], HISTORY_BLOCK);
  await saveCheckpoint(shippedDir, step, params, {
    ...ck.meta,
    history,
    historyBlock: HISTORY_BLOCK,
    shippedFrom: "float32 run checkpoint",
    optimizerSlots: "not shipped",
  }, { float16: true, keep: 1 });
  tf.dispose(Object.values(ck.tensors));
}

/**
 * Starts a run folder from a checkpoint's weights, position and record: a
 * shipped one (its optimiser state is not shipped, so it starts fresh) or
 * another run's (everything it holds comes along).
 */
export async function seedRunFromShipped(
  shippedDir: string,
  runDir: string,
  convert?: (
    t: Record<string, tf.Tensor>,
    m: CheckpointMeta,
  ) => { tensors: Record<string, tf.Tensor>; meta: CheckpointMeta },
): Promise<void> {
  const ck = await loadCheckpoint(shippedDir);
  const step = ck.step;
  const seed = convert ? convert(ck.tensors, ck.meta) : ck;
  await saveCheckpoint(runDir, step, seed.tensors, seed.meta);
  tf.dispose([...new Set([...Object.values(ck.tensors), ...Object.values(seed.tensors)])]);
}
