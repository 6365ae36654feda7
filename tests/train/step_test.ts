/**
 * lib/train/step.ts: a non-finite loss never reaches the weights.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { SgdMomentum } from "../../lib/train/optimizers.ts";
import { trainStep } from "../../lib/train/step.ts";

await useProjectBackend();

Deno.test("a non-finite loss never reaches the weights", () => {
  const vars = { w: tf.variable(tf.tensor1d([1, 2])) };
  const opt = new SgdMomentum(0.1, 0.9);
  const r = trainStep(vars, (p) => tf.sum(tf.log(tf.sub(p.w, 5))) as tf.Scalar, opt); // log of negatives: NaN
  assert.equal(r.skipped, true);
  assert.deepEqual([...vars.w.dataSync()], [1, 2]);
  const ok = trainStep(vars, (p) => tf.sum(tf.square(p.w)) as tf.Scalar, opt);
  assert.equal(ok.skipped, false);
  assert.notDeepEqual([...vars.w.dataSync()], [1, 2]);
  tf.dispose([vars.w, ...Object.values(opt.slots())]);
});
