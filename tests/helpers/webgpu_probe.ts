/**
 * One training step of a small synthesis network (window, three LSTM layers
 * with skips, mixture density head, RMSProp) on the forced `webgpu` backend
 * with asynchronous reads, then the same from the same weights on `cpu` (two
 * steps each); prints one JSON line: the first step's losses and gradient
 * norms, the largest weight difference after both updates, tensors left by
 * the second webgpu step, `AddN` sums, and what `dataSync` says on
 * webgpu. Used by `webgpu_test.ts` in a fresh process.
 */
import * as tf from "../../lib/tf.ts";
import { initBackend } from "../../lib/backend.ts";
import { initParams } from "../../lib/nn/params.ts";
import {
  oneHotText,
  SYNTHESIS_PAPER,
  synthesisLoss,
  synthesisSpecs,
  synthesisZeroState,
} from "../../lib/models/synthesis.ts";
import { RmsProp } from "../../lib/train/optimizers.ts";
import { trainStep, trainStepAsync } from "../../lib/train/step.ts";

const cfg = { ...SYNTHESIS_PAPER, cells: 6, mixtures: 2, windowMixtures: 2 };
const T = 4, B = 3, U = 5;

async function oneStep(asyncReads: boolean) {
  const vars = initParams(synthesisSpecs(cfg), 7), opt = new RmsProp();
  const x = tf.tensor3d(Array.from({ length: T * B * 3 }, (_, i) => Math.sin(i) * (i % 3 === 2 ? 0 : 1)), [
    T,
    B,
    3,
  ]);
  const target = tf.tensor3d(
    Array.from({ length: T * B * 3 }, (_, i) => Math.cos(i) * (i % 3 === 2 ? 0 : 1)),
    [T, B, 3],
  );
  const mask = tf.ones([T, B]);
  const chars = oneHotText(
    Int32Array.from({ length: B * U }, (_, i) => (i * 7) % cfg.charClasses),
    B,
    U,
    cfg.charClasses,
  );
  const state = synthesisZeroState(cfg, B);
  let next: ReturnType<typeof synthesisLoss>["state"] | undefined;
  const lossFn = (p: Record<string, tf.Tensor>) => {
    const r = synthesisLoss(p, cfg, x, target, mask, chars, state);
    next = r.state; // the final state the model keeps for carrying; dropped here, as a task would
    return r.loss;
  };
  const step = async () => {
    const r = asyncReads ? await trainStepAsync(vars, lossFn, opt) : trainStep(vars, lossFn, opt);
    tf.dispose([...next!.stack.h, ...next!.stack.c, next!.kappa, next!.w]);
    return r;
  };
  const r = await step(); // the first step also creates RMSProp's slots
  const held = tf.memory().numTensors;
  await step();
  const leaked = tf.memory().numTensors - held;
  const weights: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(vars)) weights[k] = Array.from(await v.data());
  return { ...r, leaked, weights };
}

try {
  const report = await initBackend({ force: "webgpu", quiet: true });
  const addN: number[] = [];
  for (let n = 1; n <= 9; n++) {
    addN.push((await tf.addN(Array.from({ length: n }, (_, i) => tf.fill([2, 3], i + 1))).data())[0]);
  }
  let syncError = "";
  try {
    tf.square(tf.tensor1d([1, 2])).dataSync();
  } catch (e) {
    syncError = (e as Error).message;
  }
  const gpu = await oneStep(true);
  await tf.setBackend("cpu");
  const cpu = await oneStep(false);
  let maxWeightDiff = 0;
  for (const k of Object.keys(cpu.weights)) {
    cpu.weights[k].forEach((v, i) =>
      maxWeightDiff = Math.max(maxWeightDiff, Math.abs(v - gpu.weights[k][i]))
    );
  }
  console.log(JSON.stringify({
    ok: true,
    line: report.line,
    addN,
    syncError,
    leaked: gpu.leaked,
    cpuLeaked: cpu.leaked,
    gpu: { loss: gpu.loss, gradNorm: gpu.gradNorm, skipped: gpu.skipped },
    cpu: { loss: cpu.loss, gradNorm: cpu.gradNorm, skipped: cpu.skipped },
    maxWeightDiff,
  }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: (e as Error).message }));
}
