/**
 * lib/models/synthesis.ts: gradients through the window match finite differences; training and sampling run without leaks.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { RmsProp } from "../../lib/train/optimizers.ts";
import { trainLoop } from "../../lib/train/loop.ts";
import { SynthesisTask } from "../../lib/train/tasks.ts";
import { LineBatcher } from "../../lib/data/lines.ts";
import { initParams } from "../../lib/nn/params.ts";
import { SYNTHESIS_TINY, synthesisSpecs } from "../../lib/models/synthesis.ts";
import { sampleSynthesis } from "../../lib/models/synthesis_sample.ts";
import { evaluateSynthesis } from "../../lib/eval/evaluate.ts";
import { Rng } from "../../lib/util/rng.ts";
import { disposeAll, wavyLines } from "../helpers/train.ts";

await useProjectBackend();

Deno.test("synthesis: gradients through the window match finite differences; training and sampling run without leaks", async () => {
  const cfg = { ...SYNTHESIS_TINY, charClasses: 5 };
  const vars = initParams(synthesisSpecs(cfg), 2);
  const lines = wavyLines(4, 13);
  const task = new SynthesisTask(cfg, new LineBatcher(lines, 2, 6));
  const { synthesisLoss, oneHotText, synthesisZeroState } = await import("../../lib/models/synthesis.ts");
  const { linesSegment } = await import("../../lib/data/lines.ts");
  const seg = linesSegment(lines.slice(0, 2), 6, 0);
  const lossWith = (W: tf.Tensor) =>
    tf.tidy(() => {
      const x = tf.tensor3d(seg.x, [6, 2, 3]),
        y = tf.tensor3d(seg.target, [6, 2, 3]),
        m = tf.tensor2d(seg.mask, [6, 2]);
      return synthesisLoss(
        { ...vars, "window.W": W },
        cfg,
        x,
        y,
        m,
        oneHotText(seg.codes!, 2, seg.U, 5),
        synthesisZeroState(cfg, 2),
      ).loss;
    });
  const W0 = vars["window.W"].dataSync().slice();
  const g = tf.tidy(() => tf.grad((W: tf.Tensor) => lossWith(W))(vars["window.W"]).dataSync().slice());
  for (const i of [0, 7, W0.length - 1]) {
    const a = W0.slice(), b = W0.slice();
    a[i] += 1e-2;
    b[i] -= 1e-2;
    const num = tf.tidy(() =>
      (lossWith(tf.tensor(a, vars["window.W"].shape)).dataSync()[0] -
        lossWith(tf.tensor(b, vars["window.W"].shape)).dataSync()[0]) / 2e-2
    );
    assert.ok(
      Math.abs(num - g[i]) < 1e-2 + 3e-2 * Math.abs(num),
      `dW[${i}]: numeric ${num}, analytic ${g[i]}`,
    );
  }
  const opt = new RmsProp();
  await trainLoop({ vars, optimizer: opt, task, totalSteps: 2 }); // one whole batch (2 segments)
  const n0 = tf.memory().numTensors;
  await trainLoop({ vars, optimizer: opt, task, totalSteps: 4 }); // the next one: same phase, no carried state
  const out = sampleSynthesis(vars, cfg, Int32Array.from([1, 2, 3]), new Rng(1), { bias: 1, maxSteps: 30 });
  const primed = sampleSynthesis(vars, cfg, Int32Array.from([1, 2, 3]), new Rng(1), {
    maxSteps: 10,
    prime: lines[0].points.slice(0, 15),
  });
  const capped = sampleSynthesis(vars, cfg, Int32Array.from([1, 2, 3]), new Rng(1), {
    maxSteps: 5,
    neverStop: true,
  });
  const score = evaluateSynthesis(vars, cfg, lines, 2, 6);
  assert.equal(tf.memory().numTensors, n0, "tensors leaked across training steps, sampling or scoring");
  assert.ok(!capped.finished && capped.steps === 5, "a sample the cap ended is reported unfinished");
  assert.ok(Number.isFinite(score.natsPerSequence) && score.points === 4 * 12, JSON.stringify(score));
  assert.ok(primed.steps > 0 && primed.steps <= 10, "a primed sample excludes the prime's own steps");
  assert.equal(out.phi.length, out.steps * 3);
  assert.ok(out.steps > 0 && out.steps <= 30);
  assert.ok(out.finished || out.steps === 30, "a sample the rule did not end ran to the cap");
  disposeAll(vars, opt.slots(), task.stateTensors());
});
