/**
 * Shipped checkpoints: the weights of a training run exported as float16 to
 * `results/checkpoints/<experiment>/` (small enough for git), with the run's
 * record and a thinned learning curve. A later `--resume` with no run folder
 * continues from them (optimiser state restarts).
 * @module
 */
import * as tf from "../tf.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import type { HistoryRow } from "./loop.ts";

/** Steps per learning-curve point in shipped checkpoints. */
export const HISTORY_BLOCK = 20;

/** Means of consecutive blocks of `n` history rows (a shipped checkpoint's thinned curve). */
export function blockMeans(rows: HistoryRow[], n: number): HistoryRow[] {
  const out: HistoryRow[] = [];
  for (let i = 0; i + n <= rows.length; i += n) {
    const b = rows.slice(i, i + n);
    out.push({ ...b[n - 1], loss: b.reduce((a, r) => a + r.loss, 0) / n });
  }
  return out;
}

/** Exports the latest checkpoint of `runDir` (weights as float16, record, thinned curve) to `shippedDir`. */
export async function shipCheckpoint(runDir: string, shippedDir: string): Promise<void> {
  const ck = await loadCheckpoint(runDir);
  const params = Object.fromEntries(Object.entries(ck.tensors).filter(([k]) => k.startsWith("param/")));
  const step = Number(ck.path.match(/step-(\d+)/)![1]);
  const history = ck.meta.historyBlock
    ? ck.meta.history
    : blockMeans(ck.meta.history as HistoryRow[], HISTORY_BLOCK);
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
export async function seedRunFromShipped(shippedDir: string, runDir: string): Promise<void> {
  const ck = await loadCheckpoint(shippedDir);
  const step = Number(ck.path.match(/step-(\d+)/)![1]);
  await saveCheckpoint(runDir, step, ck.tensors, ck.meta);
  tf.dispose(Object.values(ck.tensors));
}
