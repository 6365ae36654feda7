/**
 * The training loop: steps of a `Task` with an optimiser, optional weight
 * noise (fixed or adaptive) and evaluation every N steps. The loop knows
 * nothing about folders: it starts from a `LoopState` its caller restored and
 * hands a `LoopState` to `onCheckpoint` when one is due, holding everything
 * an exact resumption needs (weights, optimiser slots, carried state, noise
 * σ, RNG, data position, history). `lib/runs/folder.ts` stores it in a run
 * folder.
 * @module
 */
import * as tf from "../tf.ts";
import { type Params, tensorsWithPrefix } from "../nn/params.ts";
import { type Optimizer, PrefixSplit } from "./optimizers.ts";
import type { Task } from "./tasks.ts";
import { Rng } from "../util/rng.ts";
import { trainStep } from "./step.ts";
import { AdaptiveWeightNoise, AWN_PREFIX, sigmaOptimizer } from "./adaptive_noise.ts";
import type { ProgressFn } from "./progress.ts";
import { type DivergenceBound, DivergenceWatch } from "./divergence.ts";

/** One row of the learning curve. */
export interface HistoryRow {
  step: number;
  epochs: number;
  loss: number;
  seconds: number;
  [metric: string]: number;
}

/**
 * Everything a run needs to go on exactly where it stopped. `tensors` are
 * named `param/<name>`, `opt/<slot>/<name>`, `state/<name>` and the adaptive
 * noise's `awn/…` (no `opt/` tensors: weights alone, the optimiser restarts).
 */
export interface LoopState {
  step: number;
  tensors: Record<string, tf.Tensor>;
  /** The noise RNG's state (`Rng.state`). */
  rng: number[];
  /** The task's data position (`Task.position`). */
  position: Record<string, number>;
  epochs: number;
  /** Training seconds so far, all sessions. */
  seconds: number;
  skipped: number;
  history: HistoryRow[];
  evals: HistoryRow[];
}

/** Options for `trainLoop`. */
export interface TrainOptions {
  vars: Record<string, tf.Variable>;
  optimizer: Optimizer;
  task: Task;
  /** Stop after this many steps in total (including resumed ones). */
  totalSteps: number;
  /** Seed of the RNG that draws weight noise. @default 1 */
  seed?: number;
  /** Weight-noise σ (section 3.1: 0.075), 0 for none. @default 0 */
  weightNoise?: number;
  /**
   * Adaptive weight noise instead (`adaptive_noise.ts`): S, the training
   * sequences per epoch, and the initial σ; `learningRate` and `epsilon` give
   * log σ an RMSProp of its own (`sigmaOptimizer`). Its σ travel in
   * `LoopState`, and every evaluation also records L_C (`complexity_nats`).
   */
  adaptiveNoise?: { sequences: number; initStd?: number; learningRate?: number; epsilon?: number };
  /** Evaluate every N steps. */
  evalEvery?: number;
  evaluate?: (p: Params) => Record<string, number>;
  /** Go on from this state (read back by the caller; its tensors are copied in, not kept). */
  start?: LoopState;
  /** Call `onCheckpoint` every this many steps, at the last step and when stopped early. */
  checkpointEvery?: number;
  /** Receives the state to store; its tensors are the live variables: read them before returning. */
  onCheckpoint?: (state: LoopState) => Promise<void>;
  onProgress?: ProgressFn;
  /** Stop early after this many seconds of this session (a checkpoint is handed out first). */
  maxSeconds?: number;
  /** Asked after every step: true stops the run there (a checkpoint is handed out first), e.g. on Ctrl-C. */
  stop?: () => boolean;
  /** When a run counts as diverged (`lib/train/divergence.ts`): it then stops with `DivergenceError`. */
  divergence?: DivergenceBound;
}

/** What a run returns. */
export interface TrainResult {
  step: number;
  history: HistoryRow[];
  evals: HistoryRow[];
  skipped: number;
  seconds: number;
  /** The step the run went on from, when it started from a `LoopState`. */
  resumedFrom?: number;
}

/** The live tensors of a run by their `LoopState` names. */
function stateTensors(o: TrainOptions, opt: Optimizer, awn?: AdaptiveWeightNoise): Record<string, tf.Tensor> {
  const tensors: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(o.vars)) tensors[`param/${k}`] = v;
  for (const [k, v] of Object.entries(opt.slots())) tensors[`opt/${k}`] = v;
  for (const [k, v] of Object.entries(o.task.stateTensors())) tensors[`state/${k}`] = v;
  return Object.assign(tensors, awn?.variables());
}

/** Copies `s` into the run's variables, optimiser, task and noise. */
function restore(o: TrainOptions, opt: Optimizer, s: LoopState, awn?: AdaptiveWeightNoise): void {
  for (const [k, t] of Object.entries(tensorsWithPrefix(s.tensors, "param/"))) o.vars[k].assign(t);
  opt.loadSlots(tensorsWithPrefix(s.tensors, "opt/"));
  awn?.load(tensorsWithPrefix(s.tensors, AWN_PREFIX));
  o.task.restore(s.position, tensorsWithPrefix(s.tensors, "state/"));
}

/**
 * Trains until `totalSteps` (or `maxSeconds`, or `stop()`). A run that
 * diverges (non-finite weights, or a loss that stays far above its running
 * value) throws `DivergenceError` and hands out no checkpoint after it.
 *
 * @example
 * ```ts
 * import { RmsProp, StreamBatcher, TEXT_TINY, TextStreamTask, initParams, textSpecs, trainLoop } from "../mod.ts";
 * const codes = Uint8Array.from("abcabcabc".repeat(100), (ch) => ch.charCodeAt(0) - 97);
 * const cfg = { ...TEXT_TINY, symbols: 3 };
 * const run = await trainLoop({
 *   vars: initParams(textSpecs(cfg), 1),
 *   optimizer: new RmsProp(),
 *   task: new TextStreamTask(cfg, new StreamBatcher(codes, 4, 20)),
 *   totalSteps: 10,
 * });
 * console.log(run.history.at(-1)!.loss); // bits per character
 * ```
 */
export async function trainLoop(o: TrainOptions): Promise<TrainResult> {
  if (o.adaptiveNoise && o.weightNoise) throw new Error("choose weightNoise or adaptiveNoise, not both");
  const awn = o.adaptiveNoise
    ? new AdaptiveWeightNoise(o.vars, o.adaptiveNoise.sequences, o.adaptiveNoise.initStd)
    : undefined;
  // log σ may have an RMSProp of its own; its slots are saved and restored under the same names
  const opt = awn ? sigmaOptimizer(o.optimizer, o.adaptiveNoise!) : o.optimizer;
  const s = o.start;
  if (s) restore(o, opt, s, awn);
  const rng = s ? new Rng(s.rng) : new Rng(o.seed ?? 1);
  const res: TrainResult = {
    step: s?.step ?? 0,
    history: s ? [...s.history] : [],
    evals: s ? [...s.evals] : [],
    skipped: s?.skipped ?? 0,
    seconds: 0,
    resumedFrom: s?.step,
  };
  const priorSeconds = s?.seconds ?? 0;
  const t0 = performance.now();
  const elapsed = () => priorSeconds + (performance.now() - t0) / 1000;
  let smooth = NaN, symbols = 0;
  const watch = new DivergenceWatch(o.divergence);
  try {
    while (res.step < o.totalSteps) {
      const noise = awn
        ? { std: 0, seed: rng.nextUint32(), adaptive: awn }
        : o.weightNoise
        ? { std: o.weightNoise, seed: rng.nextUint32() }
        : undefined;
      const n = o.task.symbols();
      const r = trainStep(o.vars, (p) => o.task.loss(p), opt, noise, o.task.objectiveScale);
      o.task.advance(r.skipped);
      res.step++;
      // a diverged run stops here, before anything it learned is evaluated or handed out to be written
      watch.check(res.step, r.loss, r.skipped, o.vars);
      symbols += n;
      if (r.skipped) res.skipped++;
      else smooth = Number.isNaN(smooth) ? r.loss : 0.95 * smooth + 0.05 * r.loss;
      res.history.push({ step: res.step, epochs: o.task.epochs(), loss: r.loss, seconds: elapsed() });
      let ev: Record<string, number> | undefined;
      if (o.evaluate && o.evalEvery && res.step % o.evalEvery === 0) {
        ev = o.evaluate(o.vars);
        if (awn) ev.complexity_nats = tf.tidy(() => awn.complexity(o.vars).dataSync()[0]);
        res.evals.push({ step: res.step, epochs: o.task.epochs(), loss: smooth, seconds: elapsed(), ...ev });
      }
      const dt = (performance.now() - t0) / 1000;
      o.onProgress?.({
        step: res.step,
        totalSteps: o.totalSteps,
        loss: r.loss,
        smoothLoss: smooth,
        symbolsPerSec: symbols / Math.max(dt, 1e-9),
        epochs: o.task.epochs(),
        elapsedSec: elapsed(),
        skipped: res.skipped,
        eval: ev,
      });
      if (o.stop) await new Promise((r) => setTimeout(r, 0)); // a turn of the event loop: signal listeners run
      const timeUp = (o.maxSeconds !== undefined && elapsed() - priorSeconds >= o.maxSeconds) ||
        (o.stop?.() ?? false);
      const due = (o.checkpointEvery && res.step % o.checkpointEvery === 0) || res.step === o.totalSteps;
      if (o.onCheckpoint && (due || timeUp)) {
        await o.onCheckpoint({
          step: res.step,
          tensors: stateTensors(o, opt, awn),
          rng: rng.state,
          position: o.task.position(),
          epochs: o.task.epochs(),
          seconds: elapsed(),
          skipped: res.skipped,
          history: res.history,
          evals: res.evals,
        });
      }
      if (timeUp) break;
    }
  } finally {
    awn?.dispose();
    // the caller owns its optimiser's slots; log σ's own optimiser is the loop's
    if (opt instanceof PrefixSplit) tf.dispose(Object.values(opt.other.slots()));
  }
  res.seconds = elapsed();
  return res;
}
