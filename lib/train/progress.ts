/**
 * Progress reporting for training: a one-line bar in the terminal, or a
 * live-updating display in a Deno Jupyter notebook.
 * @module
 */
import { liveLine } from "../util/track.ts";

/** What the loop reports after each step. */
export interface ProgressInfo {
  step: number;
  totalSteps: number;
  loss: number;
  /** Running mean of recent losses. */
  smoothLoss: number;
  symbolsPerSec: number;
  epochs: number;
  elapsedSec: number;
  skipped: number;
  /** Latest evaluation, if any. */
  eval?: Record<string, number>;
}

/** A progress callback. */
export type ProgressFn = (p: ProgressInfo) => void;

function line(p: ProgressInfo, unit: string): string {
  const pct = p.totalSteps ? (100 * p.step) / p.totalSteps : 0;
  const bar = "█".repeat(Math.round(pct / 5)).padEnd(20, "·");
  const ev = p.eval ? " | " + Object.entries(p.eval).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(" ") : "";
  const eta = p.step ? ((p.totalSteps - p.step) * p.elapsedSec) / p.step : 0;
  return `${bar} ${p.step}/${p.totalSteps} loss ${p.smoothLoss.toFixed(4)} | ${
    Math.round(p.symbolsPerSec)
  } ${unit}/s | ` +
    `epoch ${p.epochs.toFixed(3)} | ${Math.round(p.elapsedSec)}s, eta ${Math.round(eta)}s` +
    (p.skipped ? ` | ${p.skipped} skipped (non-finite)` : "") + ev;
}

/** Terminal progress: rewrites one line at most every `everyMs`. */
export function consoleProgress(unit = "symbols", everyMs = 1000): ProgressFn {
  let last = 0;
  const enc = new TextEncoder();
  return (p) => {
    const now = performance.now();
    if (now - last < everyMs && p.step !== p.totalSteps && !p.eval) return;
    last = now;
    Deno.stdout.writeSync(enc.encode(`\r${line(p, unit)}${p.step === p.totalSteps || p.eval ? "\n" : ""}`));
  };
}

/**
 * Notebook progress: one display updated in place, blanked when the last
 * step is done so that saved outputs hold no timings (falls back to the
 * console outside Jupyter).
 */
export function notebookProgress(unit = "symbols", everyMs = 1000): ProgressFn {
  const send = liveLine();
  if (!send) return consoleProgress(unit, everyMs);
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < everyMs && p.step !== p.totalSteps) return;
    last = now;
    send(p.step === p.totalSteps ? "" : line(p, unit));
  };
}
