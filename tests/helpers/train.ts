/**
 * Tiny fixtures for training tests: a short repeating text, the tiny text
 * model set up to learn it, a resumable run folder of it, synthetic
 * handwriting lines.
 */
import * as tf from "../../lib/tf.ts";
import { RmsProp } from "../../lib/train/optimizers.ts";
import { TextStreamTask } from "../../lib/train/tasks.ts";
import { StreamBatcher } from "../../lib/data/streams.ts";
import type { TrainingLine } from "../../lib/data/lines.ts";
import { initParams } from "../../lib/nn/params.ts";
import { TEXT_TINY, textSpecs } from "../../lib/models/text.ts";
import { trainInFolder } from "../../lib/runs/folder.ts";
import type { Settings } from "../../lib/runs/settings.ts";

/** The text the tiny model learns, its codes over 11 symbols, and the model's config. */
export const text = "the cat sat on the mat. ";
export const codes: Uint8Array = Uint8Array.from([...text.repeat(40)].map((ch) => " .acehmnost".indexOf(ch)));
export const cfg = { ...TEXT_TINY, symbols: 11 };

/** The tiny text model's weights, task (4 streams × 24 steps) and RMSProp optimiser. */
export function textSetup(seed = 3) {
  const vars = initParams(textSpecs(cfg), seed);
  const task = new TextStreamTask(cfg, new StreamBatcher(codes, 4, 24));
  return { vars, task, opt: new RmsProp({ decay: 0.95, momentum: 0.9, learningRate: 3e-3, epsilon: 1e-4 }) };
}

/** Disposes every tensor of each record. */
export const disposeAll = (...r: Record<string, tf.Tensor>[]): void =>
  r.forEach((x) => tf.dispose(Object.values(x)));

/** Trains the tiny text model to `totalSteps` in `dir` under `phase`, resuming whatever the folder holds. */
export async function resumeTextRun(
  dir: string,
  totalSteps: number,
  phase: { profile: string; settings: Settings },
) {
  const s = textSetup();
  const r = await trainInFolder({
    vars: s.vars,
    optimizer: s.opt,
    task: s.task,
    totalSteps,
    checkpointDir: dir,
    resume: true,
    phase,
  });
  disposeAll(s.vars, s.opt.slots(), s.task.stateTensors());
  return r;
}

/** Synthetic handwriting: wavy lines with pen lifts, normalised-ish offsets. */
export function wavyLines(count: number, n: number): TrainingLine[] {
  return Array.from({ length: count }, (_, k) => {
    const p = new Float32Array(3 * n);
    for (let i = 1; i < n; i++) {
      p[3 * i] = 0.5 + 0.1 * Math.cos(i / 3 + k);
      p[3 * i + 1] = Math.sin(i / 2 + k);
      p[3 * i + 2] = i % 10 === 9 ? 1 : 0;
    }
    return { points: p, n, codes: Int32Array.from([k % 5, (k + 1) % 5, 3]) };
  });
}
