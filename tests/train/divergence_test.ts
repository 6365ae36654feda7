/**
 * lib/train/divergence.ts: a run counts as diverged when a weight is not finite after an update,
 * when its loss stays far above its running value, or when every update is skipped for long.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { DivergenceError, DivergenceWatch, weightsFinite } from "../../lib/train/divergence.ts";

await useProjectBackend();

Deno.test("divergence: weightsFinite sees one NaN or ∞ among many finite weights", () => {
  const ok = { a: tf.ones([300]), b: tf.zeros([4, 5]) };
  assert.ok(weightsFinite(ok));
  for (const bad of [NaN, Infinity, -Infinity]) {
    const w = { ...ok, c: tf.tensor1d([0, 1, bad]) };
    assert.ok(!weightsFinite(w), String(bad));
    w.c.dispose();
  }
  tf.dispose(Object.values(ok));
});

Deno.test("divergence: a loss 10× its running value for 50 steps stops the run; a short spike does not", () => {
  const vars = { w: tf.ones([3]) };
  const w = new DivergenceWatch({ factor: 10, steps: 50 });
  let step = 0;
  for (let i = 0; i < 100; i++) w.check(++step, 2 + Math.sin(i) * 0.1, false, vars);
  for (let i = 0; i < 49; i++) w.check(++step, 500, false, vars); // a spike of 49 steps
  for (let i = 0; i < 20; i++) w.check(++step, 2, false, vars);
  for (let i = 0; i < 49; i++) w.check(++step, 25, false, vars);
  assert.throws(
    () => w.check(++step, 25, false, vars),
    (e: unknown) =>
      e instanceof DivergenceError && e.step === step &&
      /above 19\.9\d \(its running value 1\.99\d plus 9× its size\) for 50 steps/.test(e.message),
  );
  const skips = new DivergenceWatch({ steps: 5 });
  for (let i = 1; i < 5; i++) skips.check(i, NaN, true, vars);
  assert.throws(() => skips.check(5, NaN, true, vars), /not finite for 5 steps in a row/);
  const nan = { w: tf.tensor1d([1, NaN]) };
  assert.throws(
    () => new DivergenceWatch().check(3, 1, false, nan),
    /diverged at step 3: a weight is NaN or infinite/,
  );
  tf.dispose([vars.w, nan.w]);
});

Deno.test("divergence: a negative loss (a density's) and one crossing zero are not a rise; a real rise is", () => {
  const vars = { w: tf.ones([3]) };
  // the synthesis network's loss per point: about −160, ±10 from batch to batch (two runs stopped here at once
  // when the bound was 10× the running value: −155 > 10 × −162)
  const w = new DivergenceWatch();
  let step = 0;
  for (let i = 0; i < 400; i++) w.check(++step, -160 + 10 * Math.sin(i * 0.7), false, vars);
  // adaptive noise's first steps: +14 falling through zero to −10
  const z = new DivergenceWatch();
  for (let i = 0; i < 400; i++) z.check(i + 1, 14 - 0.06 * i + 3 * Math.sin(i), false, vars);
  for (let i = 0; i < 49; i++) w.check(++step, 2000, false, vars);
  assert.throws(() => w.check(++step, 2000, false, vars), /diverged at step 450: the loss stayed above/);
  vars.w.dispose();
});
