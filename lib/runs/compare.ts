/**
 * Paired comparison of two training runs that branched from one checkpoint
 * (`deno task train --from`): both saw identical batches after the branch,
 * so their training losses compare step for step, window by window, without
 * the batch-to-batch noise that swamps a difference in one run's curve.
 * @module
 */
import { readCheckpointMeta } from "./checkpoint.ts";
import type { HistoryRow } from "../train/loop.ts";

/** Mean training loss of both runs over one window of steps. */
export interface WindowRow {
  /** First and last step of the window (inclusive). */
  from: number;
  to: number;
  a: number;
  b: number;
  /** b − a: below 0 where run b's loss is lower. */
  diff: number;
}

/** The last step both histories share exactly (the branch point), 0 when they differ from the start. */
export function branchStep(a: HistoryRow[], b: HistoryRow[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i].step === b[i].step && a[i].loss === b[i].loss) i++;
  return i === 0 ? 0 : a[i - 1].step;
}

/**
 * Window means of the training loss of `a` and `b` over the steps after
 * `from` (default: their branch point) that both reached, `window` steps each
 * (a last, shorter window is dropped).
 */
export function compareHistories(
  a: HistoryRow[],
  b: HistoryRow[],
  window: number,
  from: number = branchStep(a, b),
): WindowRow[] {
  const lossB = new Map(b.map((r) => [r.step, r.loss]));
  const paired = a.filter((r) => r.step > from && lossB.has(r.step));
  if (!paired.length) throw new Error(`the runs share no steps after step ${from}`);
  const out: WindowRow[] = [];
  for (let i = 0; i + window <= paired.length; i += window) {
    const rows = paired.slice(i, i + window);
    const ma = rows.reduce((s, r) => s + r.loss, 0) / window;
    const mb = rows.reduce((s, r) => s + lossB.get(r.step)!, 0) / window;
    out.push({ from: rows[0].step, to: rows[window - 1].step, a: ma, b: mb, diff: mb - ma });
  }
  return out;
}

/** The history and evaluations recorded in the latest checkpoint of a run folder (no weights read). */
export function readRunRecord(
  dir: string,
): { step: number; history: HistoryRow[]; evals: HistoryRow[]; experiment?: string } {
  const { meta, step } = readCheckpointMeta(dir);
  if (meta.historyBlock) {
    throw new Error(`${dir}: a shipped checkpoint keeps only block means of its curve; compare run folders`);
  }
  return {
    step,
    history: (meta.history ?? []) as HistoryRow[],
    evals: (meta.evals ?? []) as HistoryRow[],
    experiment: meta.experiment as string | undefined,
  };
}

/** One run's in-run evaluations of one measure, for a learning curve. */
export interface EvalSeries {
  name: string;
  /** Evaluations after the branch point: step, hours of training since it, the measure. */
  after: { step: number; hours: number; value: number }[];
}

/**
 * The training seconds a run had at step `from`, read from its own history
 * after it: the first row's seconds less its steps since `from` at the pace
 * of the next rows. (The row at `from` may be a seed's: a weight average's
 * seconds sum its members', its history is one member's.)
 */
function branchSeconds(history: HistoryRow[], from: number): number {
  const [a, b] = history.filter((h) => h.step > from);
  if (!a) return history.filter((h) => h.step <= from).at(-1)?.seconds ?? 0;
  const pace = b ? (b.seconds - a.seconds) / (b.step - a.step) : 0;
  return a.seconds - (a.step - from) * pace;
}

/**
 * The in-run evaluations of `measure` in branches of one run, after their
 * branch point `from` (hours of training since it),
 * and the evaluations they share up to it (`shared`, the trained network's
 * curve before the branches), from `before` steps ahead of it.
 */
export function evalSeries(
  runs: { name: string; history: HistoryRow[]; evals: HistoryRow[] }[],
  measure: string,
  from: number,
  before = 2000,
): { shared: { step: number; value: number }[]; series: EvalSeries[] } {
  const has = (e: HistoryRow) => Number.isFinite(e[measure]);
  const shared = runs[0].evals.filter((e) => has(e) && e.step <= from && e.step >= from - before)
    .map((e) => ({ step: e.step, value: e[measure] }));
  const series = runs.map((r) => {
    const start = branchSeconds(r.history, from);
    return {
      name: r.name,
      after: r.evals.filter((e) => has(e) && e.step > from)
        .map((e) => ({ step: e.step, hours: (e.seconds - start) / 3600, value: e[measure] })),
    };
  });
  if (series.every((s) => s.after.length === 0)) {
    throw new Error(`no run recorded ${measure} after the branch point (step ${from})`);
  }
  return { shared, series };
}
