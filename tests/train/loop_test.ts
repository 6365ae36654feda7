/**
 * lib/train/loop.ts: tiny runs that must learn (text, handwriting) and leave no tensors behind; the text scorers on the trained model.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { RmsProp, SgdMomentum } from "../../lib/train/optimizers.ts";
import { trainLoop } from "../../lib/train/loop.ts";
import { HandwritingTask } from "../../lib/train/tasks.ts";
import { LineBatcher } from "../../lib/data/lines.ts";
import { initParams } from "../../lib/nn/params.ts";
import { sampleText } from "../../lib/models/text.ts";
import { HANDWRITING_TINY, handwritingSpecs, sampleHandwriting } from "../../lib/models/handwriting.ts";
import {
  dynamicEvaluateText,
  evaluateHandwriting,
  evaluateText,
  scoreText,
} from "../../lib/eval/evaluate.ts";
import {
  dynamicSgd,
  PTB_DYNAMIC_LR,
  type PtbModel,
  scorePtb,
  scoreStream,
  streamOutliers,
} from "../../lib/experiments/ptb_score.ts";
import type { Ptb } from "../../lib/data/ptb.ts";
import { Rng } from "../../lib/util/rng.ts";
import { cfg, codes, disposeAll, text, textSetup, wavyLines } from "../helpers/train.ts";

await useProjectBackend();

Deno.test("the text model overfits a short string to near-zero bits per character", async () => {
  const { vars, task, opt } = textSetup();
  const r = await trainLoop({ vars, optimizer: opt, task, totalSteps: 250 });
  const bpc = evaluateText(vars, cfg, codes, 4, 24);
  assert.ok(r.history[0].loss > 2.5, `initial loss ${r.history[0].loss}`);
  assert.ok(bpc < 0.15, `final BPC ${bpc}`);
  // The trained model continues the pattern; dynamic evaluation does not touch the weights.
  const sample = [...sampleText(vars, cfg, codes.subarray(0, 8), 16, new Rng(1), 0.1)].map((c) =>
    " .acehmnost"[c]
  ).join("");
  assert.equal(sample, text.repeat(2).slice(8, 24));
  // Per-stream scores: scramble the third of 4 parallel streams; only it scores badly, and is flagged.
  const mixed = codes.slice(), L = Math.floor(codes.length / 4), rng = new Rng(9);
  for (let i = 2 * L; i < 3 * L; i++) mixed[i] = Math.floor(rng.next() * 11);
  const per = scoreText(vars, cfg, mixed, 4, 24);
  assert.ok(per.streams[2] > 2 && [0, 1, 3].every((k) => per.streams[k] < 0.3), per.streams.join());
  assert.ok(Math.abs(per.bpc - per.streams.reduce((a, b) => a + b) / 4) < 1e-9, "the mean of the streams");
  assert.deepEqual(streamOutliers(per.streams).outliers.map((o) => o.stream), [2]);
  assert.deepEqual(streamOutliers([1, 1.2, 1.1, 5, 0.9]), { median: 1.1, outliers: [{ stream: 3, bpc: 5 }] });
  assert.equal(streamOutliers([1, 2, 3, 10]).median, 2.5);
  const before = vars["out.W"].dataSync().slice();
  const n0 = tf.memory().numTensors, sgd = new SgdMomentum(1e-3, 0.9);
  const dyn = dynamicEvaluateText(vars, cfg, codes, sgd, 4, 24);
  tf.dispose(Object.values(sgd.slots()));
  assert.equal(tf.memory().numTensors, n0, "dynamic evaluation leaked tensors");
  assert.ok(Number.isFinite(dyn) && dyn < 0.3, `dynamic BPC ${dyn}`);
  assert.deepEqual(vars["out.W"].dataSync(), before);
  // Dynamic evaluation's rate: the paper's 1e−4 per sequence, for PTB once for each of the 32 streams a step scores.
  assert.deepEqual(dynamicSgd().hyper, { learningRate: 1e-4, momentum: 0 });
  // The rate reaches the optimiser: at 0 the dynamic pass scores as the static one; PTB's scorer uses PTB_DYNAMIC_LR.
  const m = { params: vars, config: cfg } as unknown as PtbModel;
  const still = scoreStream(m, codes, { B: 4, dynamicLr: 0 });
  assert.ok(Math.abs(still.dynamic! - still.static) < 1e-4, `${still.dynamic} vs ${still.static}`);
  const ptb = scorePtb(m, { test: codes } as unknown as Ptb, { B: 4 });
  assert.equal(ptb.dynamic, scoreStream(m, codes, { B: 4, dynamicLr: PTB_DYNAMIC_LR }).dynamic);
  assert.notEqual(ptb.dynamic, still.dynamic);
  disposeAll(vars, opt.slots(), task.stateTensors());
});
Deno.test("the handwriting model's loss falls on generated strokes; scores are finite", async () => {
  const vars = initParams(handwritingSpecs(HANDWRITING_TINY), 1);
  const lines = wavyLines(8, 41);
  const task = new HandwritingTask(HANDWRITING_TINY, new LineBatcher(lines, 4, 20));
  const opt = new RmsProp({ decay: 0.95, momentum: 0.9, learningRate: 1e-3, epsilon: 1e-4 });
  const before = evaluateHandwriting(vars, HANDWRITING_TINY, lines, 4, 20);
  await trainLoop({ vars, optimizer: opt, task, totalSteps: 60 });
  const after = evaluateHandwriting(vars, HANDWRITING_TINY, lines, 4, 20);
  assert.ok(
    after.natsPerSequence < before.natsPerSequence - 20,
    `${before.natsPerSequence} → ${after.natsPerSequence}`,
  );
  assert.equal(after.points, 8 * 40);
  const s = sampleHandwriting(vars, HANDWRITING_TINY, 25, new Rng(2), 0.5);
  assert.equal(s.length, 75);
  assert.ok(s.every(Number.isFinite));
  disposeAll(vars, opt.slots(), task.stateTensors());
});
Deno.test("no tensors leak across text training steps and sampling", async () => {
  const { vars, task, opt } = textSetup();
  await trainLoop({ vars, optimizer: opt, task, totalSteps: 1 });
  const n0 = tf.memory().numTensors;
  await trainLoop({ vars, optimizer: opt, task, totalSteps: 4 });
  sampleText(vars, cfg, [1, 2], 5, new Rng(1));
  evaluateText(vars, cfg, codes, 4, 24);
  assert.equal(tf.memory().numTensors, n0);
  disposeAll(vars, opt.slots(), task.stateTensors());
});
