/**
 * lib/nn/params.ts: owned variables leave nothing else alive and copy, not alias.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { ownedVariable, variablesOf } from "../../lib/nn/params.ts";

await useProjectBackend();

Deno.test("ownedVariable / variablesOf: one tensor per variable, nothing else left alive; copies, not aliases", () => {
  const p = { a: tf.tensor1d([1, 2]), b: tf.zeros([2, 3]) };
  const n0 = tf.memory().numTensors;
  const v = ownedVariable(() => tf.add(tf.ones([3]), 1), false);
  const copies = variablesOf(p, true);
  assert.equal(tf.memory().numTensors, n0 + 3, "the argument tensors were freed");
  assert.deepEqual(Array.from(v.dataSync()), [2, 2, 2]);
  tf.tidy(() => copies.a.assign(tf.tensor1d([5, 6])));
  assert.deepEqual(Array.from(p.a.dataSync()), [1, 2], "the source is untouched");
  assert.ok(copies.b.trainable && !v.trainable);
  tf.dispose([v, ...Object.values(copies), ...Object.values(p)]);
});
