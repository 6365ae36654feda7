/**
 * The training loop: steps of a `Task` with an optimiser, optional weight
 * noise, evaluation every N steps, atomic checkpoints every M steps, and exact
 * resumption (weights, optimiser slots, RNG, data position, carried state and
 * history all come back from the checkpoint).
 * @module
 */
import * as tf from "../tf.ts";
import type { Params } from "../nn/params.ts";
import type { Optimizer } from "./optimizers.ts";
import type { Task } from "./tasks.ts";
import { Rng } from "./rng.ts";
import { trainStep } from "./step.ts";
import { AdaptiveWeightNoise, AWN_PREFIX } from "./adaptive_noise.ts";
import { type CheckpointMeta, loadCheckpoint, saveCheckpoint, tensorsWithPrefix } from "./checkpoint.ts";
import type { ProgressFn } from "./progress.ts";
import { exists } from "../data/location.ts";
import { type Continues, enterPhase, type Phase, RESTART_FROM_EXPORT } from "./phases.ts";
import { join } from "node:path";

/** One row of the learning curve. */
export interface HistoryRow {
  step: number;
  epochs: number;
  loss: number;
  seconds: number;
  [metric: string]: number;
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
   * sequences per epoch, and the initial σ. Its σ are checkpointed beside the
   * weights, and every evaluation also records L_C (`complexity_nats`).
   */
  adaptiveNoise?: { sequences: number; initStd?: number };
  /** Evaluate every N steps. */
  evalEvery?: number;
  evaluate?: (p: Params) => Record<string, number>;
  /** Folder for checkpoints; with `resume`, training continues from its latest. */
  checkpointDir?: string;
  checkpointEvery?: number;
  /** Keep the checkpoints at multiples of this many steps as well as the newest two. */
  keepEvery?: number;
  resume?: boolean;
  /** Extra metadata stored with every checkpoint (config, normalisation stats, ...). */
  meta?: CheckpointMeta;
  onProgress?: ProgressFn;
  /** Called after each checkpoint is written (e.g. to export a shipped copy now and then). */
  afterCheckpoint?: (step: number) => Promise<void>;
  /** Stop early after this many seconds (a checkpoint is written first). */
  maxSeconds?: number;
  /** Asked after every step: true stops the run there (a checkpoint is written first), e.g. on Ctrl-C. */
  stop?: () => boolean;
  /**
   * How this invocation trains (e.g. the profile and its `--set` overrides).
   * When it differs from the resumed run's last phase, a new phase starts at
   * the current step, so a checkpoint records every setting it was trained
   * under (`TrainResult.phases`).
   */
  phase?: Record<string, unknown>;
}

/** What a run returns. */
export interface TrainResult {
  step: number;
  history: HistoryRow[];
  evals: HistoryRow[];
  skipped: number;
  seconds: number;
  resumedFrom?: number;
  /** The settings the weights were trained under, oldest first (empty when no `phase` was given). */
  phases: Phase[];
  /** The weight average this run was trained on from, if it was (kept by every later checkpoint). */
  continues?: Continues;
}

async function save(
  o: TrainOptions,
  awn: AdaptiveWeightNoise | undefined,
  step: number,
  rng: Rng,
  hist: TrainResult,
  seconds: number,
) {
  const tensors: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(o.vars)) tensors[`param/${k}`] = v;
  for (const [k, v] of Object.entries(o.optimizer.slots())) tensors[`opt/${k}`] = v;
  for (const [k, v] of Object.entries(o.task.stateTensors())) tensors[`state/${k}`] = v;
  Object.assign(tensors, awn?.variables());
  await saveCheckpoint(o.checkpointDir!, step, tensors, {
    ...o.meta,
    optimizer: { name: o.optimizer.name, hyper: o.optimizer.hyper },
    rng: rng.state,
    position: o.task.position(),
    epochs: o.task.epochs(),
    seconds,
    skipped: hist.skipped,
    history: hist.history,
    evals: hist.evals,
    phases: hist.phases,
    ...(hist.continues ? { continues: hist.continues } : {}),
  }, { keepEvery: o.keepEvery });
}

/**
 * Trains until `totalSteps` (or `maxSeconds`), checkpointing as it goes.
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
  let rng = new Rng(o.seed ?? 1);
  const res: TrainResult = { step: 0, history: [], evals: [], skipped: 0, seconds: 0, phases: [] };
  let priorSeconds = 0, restarted = false;
  if (o.adaptiveNoise && o.weightNoise) throw new Error("choose weightNoise or adaptiveNoise, not both");
  const awn = o.adaptiveNoise
    ? new AdaptiveWeightNoise(o.vars, o.adaptiveNoise.sequences, o.adaptiveNoise.initStd)
    : undefined;
  if (o.resume && o.checkpointDir && exists(join(o.checkpointDir, "latest.json"))) {
    const ck = await loadCheckpoint(o.checkpointDir);
    for (const [k, t] of Object.entries(tensorsWithPrefix(ck.tensors, "param/"))) o.vars[k].assign(t);
    const slots = tensorsWithPrefix(ck.tensors, "opt/");
    o.optimizer.loadSlots(slots);
    restarted = Object.keys(slots).length === 0; // weights alone: a shipped export
    awn?.load(tensorsWithPrefix(ck.tensors, AWN_PREFIX));
    o.task.restore(ck.meta.position as Record<string, number>, tensorsWithPrefix(ck.tensors, "state/"));
    tf.dispose(Object.values(ck.tensors));
    rng = new Rng(ck.meta.rng as number[]);
    res.step = res.resumedFrom = Number(ck.path.match(/step-(\d+)/)![1]);
    res.history = ck.meta.history as HistoryRow[];
    res.evals = ck.meta.evals as HistoryRow[];
    res.skipped = ck.meta.skipped as number;
    // a weight average trained on: its weights are the average, its phases its first run's
    const average = ck.meta.average as Continues["average"] | undefined;
    res.continues = (ck.meta.continues as Continues | undefined) ??
      (average ? { step: res.step, average } : undefined);
    priorSeconds = ck.meta.seconds as number;
    // checkpoints from before phases were recorded: one phase under the profile they name
    const name = (ck.meta.profile as { name?: string } | undefined)?.name;
    res.phases = (ck.meta.phases as Phase[] | undefined) ??
      (o.phase && name ? [{ fromStep: 0, profile: name, set: [] }] : []);
  }
  res.phases = enterPhase(
    res.phases,
    res.step,
    o.phase && restarted ? { ...o.phase, restart: RESTART_FROM_EXPORT } : o.phase,
  );
  const t0 = performance.now();
  const elapsed = () => priorSeconds + (performance.now() - t0) / 1000;
  let smooth = NaN, symbols = 0;
  while (res.step < o.totalSteps) {
    const noise = awn
      ? { std: 0, seed: rng.nextUint32(), adaptive: awn }
      : o.weightNoise
      ? { std: o.weightNoise, seed: rng.nextUint32() }
      : undefined;
    const n = o.task.symbols();
    const r = trainStep(o.vars, (p) => o.task.loss(p), o.optimizer, noise, o.task.objectiveScale);
    o.task.advance(r.skipped);
    res.step++;
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
    if (
      o.checkpointDir &&
      ((o.checkpointEvery && res.step % o.checkpointEvery === 0) || res.step === o.totalSteps || timeUp)
    ) {
      await save(o, awn, res.step, rng, res, elapsed());
      await o.afterCheckpoint?.(res.step);
    }
    if (timeUp) break;
  }
  res.seconds = elapsed();
  awn?.dispose();
  return res;
}
