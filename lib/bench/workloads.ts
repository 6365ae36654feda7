/**
 * The paper's training workloads, through the project's own model code, in
 * the shapes of the PyTorch peer (`../shared/bench/peer_pytorch.py`): one
 * optimiser step = forward + backward + the paper's RMSProp update, batch 32.
 *
 *   char: one layer of 1000 peephole LSTM cells, 50 symbols, softmax, T = 100
 *   word: the same layer with PTB's 10,000 words looked up in and a
 *         10,000-way softmax out, T = 100 (Table 1's word rows; no peer)
 *   hand: three layers of 400 cells with skip connections, 3 inputs, the
 *         121-output mixture density head, T = 50
 *
 * plus the synthesis network's training step (`synth`: hand plus the soft
 * window over 30 characters, T = 100; no peer) and its sampling speed
 * (points per second). With `asyncReads`, each step reads its loss
 * asynchronously (`trainStepAsync`), as the `webgpu` backend needs.
 * @module
 */
import * as tf from "../tf.ts";
import { initParams } from "../nn/params.ts";
import { PTB_WORDS_PAPER, type TextConfig, textLoss, textSpecs, textZeroState } from "../models/text.ts";
import {
  HANDWRITING_PAPER,
  handwritingLoss,
  handwritingSpecs,
  handwritingZeroState,
} from "../models/handwriting.ts";
import {
  oneHotText,
  SYNTHESIS_PAPER,
  synthesisLoss,
  synthesisSpecs,
  synthesisZeroState,
} from "../models/synthesis.ts";
import { sampleSynthesis } from "../models/synthesis_sample.ts";
import { RmsProp } from "../train/optimizers.ts";
import { trainStep, trainStepAsync } from "../train/step.ts";
import { Rng } from "../util/rng.ts";

/** One workload's measurement. */
export interface WorkloadResult {
  /** "browser": the page writing a 40-character line in headless chromium (`lib/web/bench.ts`); a step is a point. */
  /** "page": 25 lines of 50 characters in one hand, the shipped network, native sampler (`bench_worker.ts`). */
  workload: "char" | "word" | "hand" | "synth" | "sample" | "browser" | "page";
  T: number;
  B: number;
  msPerStep: number;
  symbolsPerS: number;
  /** Largest resident set seen during the run, MB. */
  peakRssMb: number;
}

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, Deno.memoryUsage().rss));

/** Median of `reps` timed calls after two warm-ups. */
async function median(fn: () => unknown, reps: number): Promise<number> {
  await fn();
  await fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
    sampleRss();
  }
  return t.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

/** The step each workload times: synchronous reads, or asynchronous ones (webgpu). */
const stepper = (asyncReads: boolean) => asyncReads ? trainStepAsync : trainStep;

function randomCodes(n: number, K: number, rng: Rng): Int32Array {
  return Int32Array.from({ length: n }, () => rng.nextUint32() % K);
}

/** A text network `cfg`'s training step on random codes, B = 32 × T = 100, as `workload`'s row. */
async function benchText(
  workload: "char" | "word",
  cfg: TextConfig,
  reps: number,
  asyncReads: boolean,
): Promise<WorkloadResult> {
  const step = stepper(asyncReads);
  const T = 100, B = 32, K = cfg.symbols, rng = new Rng(1);
  const vars = initParams(textSpecs(cfg), 1), opt = new RmsProp();
  const x = tf.tensor2d(randomCodes(B * T, K, rng), [B, T], "int32"),
    y = tf.tensor2d(randomCodes(B * T, K, rng), [B, T], "int32");
  const state = textZeroState(cfg, B);
  const ms = await median(
    () => step(vars, (p) => textLoss(p, cfg, x, y, state).loss, opt, undefined, T * Math.LN2),
    reps,
  );
  tf.dispose([...Object.values(vars), ...Object.values(opt.slots()), x, y, ...state.h, ...state.c]);
  return result(workload, { T, B }, ms, T * B);
}

/** PTB-shaped step: 1 × 1000 LSTM, 50 symbols, T = 100, B = 32. */
export async function benchChar(reps = 7, asyncReads = false): Promise<WorkloadResult> {
  return await benchText("char", { symbols: 50, cells: 1000, layers: 1, clip: 1 }, reps, asyncReads);
}

/** Word-level PTB step: 1 × 1000 LSTM, 10,000 words in (row lookup) and out, T = 100, B = 32 (~54M weights). */
export async function benchWord(reps = 3, asyncReads = false): Promise<WorkloadResult> {
  return await benchText("word", PTB_WORDS_PAPER, reps, asyncReads);
}

/** A workload's row: `perStep` symbols (characters or points) in a step of `ms` milliseconds. */
function result(
  workload: WorkloadResult["workload"],
  fields: Omit<WorkloadResult, "workload" | "msPerStep" | "symbolsPerS" | "peakRssMb">,
  ms: number,
  perStep: number,
): WorkloadResult {
  return {
    workload,
    ...fields,
    msPerStep: ms,
    symbolsPerS: (perStep * 1000) / ms,
    peakRssMb: peakRss / 2 ** 20,
  };
}

/** Handwriting-shaped step: 3 × 400 LSTM with skips, MDN with 20 components, T = 50, B = 32. */
export async function benchHand(reps = 7, asyncReads = false): Promise<WorkloadResult> {
  const step = stepper(asyncReads);
  const cfg = HANDWRITING_PAPER, T = 50, B = 32;
  const vars = initParams(handwritingSpecs(cfg), 1), opt = new RmsProp();
  const x = tf.randomNormal([T, B, 3], 0, 1, "float32", 1);
  const target = tf.concat([tf.randomNormal([T, B, 2], 0, 1, "float32", 2), tf.zeros([T, B, 1])], 2);
  const mask = tf.ones([T, B]);
  const state = handwritingZeroState(cfg, B);
  const ms = await median(
    () => step(vars, (p) => handwritingLoss(p, cfg, x, target, mask, state).loss, opt),
    reps,
  );
  tf.dispose([
    ...Object.values(vars),
    ...Object.values(opt.slots()),
    x,
    target,
    mask,
    ...state.h,
    ...state.c,
  ]);
  return result("hand", { T, B }, ms, T * B);
}

/** Synthesis training step: the paper's network, 32 lines × 100 points, 30 characters of text each. */
export async function benchSynth(reps = 7, asyncReads = false): Promise<WorkloadResult> {
  const step = stepper(asyncReads);
  const cfg = SYNTHESIS_PAPER, T = 100, B = 32, U = 30;
  const vars = initParams(synthesisSpecs(cfg), 1), opt = new RmsProp();
  const x = tf.randomNormal([T, B, 3], 0, 1, "float32", 1);
  const target = tf.concat([tf.randomNormal([T, B, 2], 0, 1, "float32", 2), tf.zeros([T, B, 1])], 2);
  const mask = tf.ones([T, B]);
  const chars = oneHotText(randomCodes(B * U, cfg.charClasses, new Rng(3)), B, U, cfg.charClasses);
  const state = synthesisZeroState(cfg, B);
  const ms = await median(
    () => step(vars, (p) => synthesisLoss(p, cfg, x, target, mask, chars, state).loss, opt),
    reps,
  );
  tf.dispose([...Object.values(vars), ...Object.values(opt.slots()), x, target, mask, chars]);
  tf.dispose([...state.stack.h, ...state.stack.c, state.kappa, state.w]);
  return result("synth", { T, B }, ms, T * B);
}

/** Synthesis sampling with the paper's network (random weights, stopping rule off): points per second. */
export function benchSample(points = 600): WorkloadResult {
  const vars = initParams(synthesisSpecs(SYNTHESIS_PAPER), 1);
  const text = Int32Array.from({ length: 40 }, (_, i) => i % 52);
  sampleSynthesis(vars, SYNTHESIS_PAPER, text, new Rng(1), { maxSteps: 150, neverStop: true }); // warm the JIT
  const t0 = performance.now();
  sampleSynthesis(vars, SYNTHESIS_PAPER, text, new Rng(2), { maxSteps: points, neverStop: true });
  const ms = performance.now() - t0;
  sampleRss();
  tf.dispose(Object.values(vars));
  return result("sample", { T: points, B: 1 }, ms, points);
}
