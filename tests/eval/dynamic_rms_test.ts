/**
 * lib/eval/dynamic_rms.ts: Krause et al.'s RMS rule by hand, its decay, and the gradient RMS without leaks.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { gradientRms, RmsDynamic } from "../../lib/eval/dynamic_rms.ts";
import { initParams } from "../../lib/nn/params.ts";
import { textSpecs } from "../../lib/models/text.ts";
import { cfg, codes, disposeAll } from "../helpers/train.ts";

await useProjectBackend();

Deno.test("RMS dynamic evaluation: the step of Krause et al.'s rule by hand; decay returns the trained weights; the gradient RMS is measured, not leaked", () => {
  const trained = { w: tf.tensor1d([1, -2, 0.5]) };
  const rms = { w: tf.tensor1d([0.1, 0.2, 0.3]) }; // mean 0.2
  const w = { w: tf.variable(tf.tensor1d([1.5, -2, 0])) };
  const opt = new RmsDynamic({ eta: 0.01, lambda: 0.5, eps: 0.1, trainSymbols: 0 }, trained, rms);
  opt.apply(w, { w: tf.tensor1d([1, -1, 2]) });
  const want = [1.5, -2, 0].map((x, i) => {
    const r = [0.1, 0.2, 0.3][i], t0 = [1, -2, 0.5][i], g = [1, -1, 2][i];
    return x + Math.min(0.5 * r / 0.2, 1) * (t0 - x) - 0.01 * g / (r + 0.1 * 0.2);
  });
  const got = w.w.dataSync();
  want.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-6, `w[${i}] ${got[i]} vs ${v}`));
  // With no step and full decay (λ r/r̄ capped at 1) one update lands on the trained weights.
  const home = new RmsDynamic({ eta: 0, lambda: 100, eps: 0.1, trainSymbols: 0 }, trained, rms);
  home.apply(w, { w: tf.tensor1d([5, 5, 5]) });
  assert.deepEqual([...w.w.dataSync()], [1, -2, 0.5]);
  opt.dispose();
  home.dispose();
  tf.dispose([trained.w, rms.w, w.w]);
  // gradientRms: one non-negative tensor per weight, the same shapes, nothing else left behind.
  const vars = initParams(textSpecs(cfg), 3);
  const n0 = tf.memory().numTensors;
  const r = gradientRms(vars, cfg, codes, 1, 24);
  assert.deepEqual(Object.keys(r).sort(), Object.keys(vars).sort());
  for (const [k, t] of Object.entries(r)) {
    assert.deepEqual(t.shape, vars[k].shape);
    assert.ok(t.dataSync().every((v) => v >= 0) && t.dataSync().some((v) => v > 0), k);
  }
  assert.equal(tf.memory().numTensors, n0 + Object.keys(r).length, "gradientRms leaked tensors");
  // Measured as more streams than the evaluation runs, the RMS is scaled by √(their ratio), exactly.
  const scaled = gradientRms(vars, cfg, codes, 1, 24, Math.SQRT2);
  for (const k of Object.keys(r)) {
    const a = r[k].dataSync(), b = scaled[k].dataSync();
    assert.ok(a.every((v, i) => Math.abs(b[i] - Math.SQRT2 * v) <= 1e-6 * (1 + v)), k);
  }
  disposeAll(r, scaled, vars);
});
