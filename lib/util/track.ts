/**
 * Progress for long computations inside a notebook cell: one line, updated in
 * place at most every half second ("Table 1 · scoring: 412 of 1,520 segments ·
 * 9 s"), and blanked when the work is done, so that a saved notebook holds no
 * timings and comes out the same on every run. Outside Deno's Jupyter kernel
 * it does nothing (the commands print their own progress). The kernel sends
 * display updates even while JavaScript is busy, so synchronous loops show
 * progress too.
 * @module
 */
import { jupyter } from "./jupyter.ts";

/** A running progress line. */
export interface Track {
  /** `n` more units done. */
  tick(n?: number): void;
  /** The work is over: the line is blanked. */
  done(): void;
}

const NONE: Track = { tick: () => {}, done: () => {} };

/**
 * One line of a notebook cell's output that can be rewritten in place
 * (`display_data`, then `update_display_data` with the same display id);
 * undefined outside Deno's Jupyter kernel.
 */
export function liveLine(): ((text: string) => void) | undefined {
  const jup = jupyter();
  if (!jup) return undefined;
  const id = `live-${crypto.randomUUID()}`;
  let shown = false;
  return (text) => {
    const content = { data: { "text/plain": text }, metadata: {}, transient: { display_id: id } };
    void jup.broadcast(shown ? "update_display_data" : "display_data", content);
    shown = true;
  };
}

/** A progress line for `total` units of `what` (e.g. "scoring", 1520, "segments"); a no-op outside notebooks. */
export function track(what: string, total: number, unit: string, everyMs = 500): Track {
  const send = total > 0 ? liveLine() : undefined;
  if (!send) return NONE;
  const t0 = performance.now();
  let count = 0, last = -Infinity, shown = false, over = false;
  return {
    tick(n = 1) {
      count += n;
      const now = performance.now();
      if (over || now - last < everyMs) return;
      last = now;
      const s = Math.round((now - t0) / 1000);
      send(`${what}: ${count.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} ${unit} · ${s} s`);
      shown = true;
    },
    done() {
      if (!over && shown) send("");
      over = true;
    },
  };
}
