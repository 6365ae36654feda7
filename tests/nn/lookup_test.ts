import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { lookupRows } from "../../lib/nn/lookup.ts";
import { textForward, textSpecs, textZeroState } from "../../lib/models/text.ts";
import { initParams } from "../../lib/nn/params.ts";
import { bitsPerSymbol } from "../../lib/nn/softmax.ts";
import { assertClose, assertNoLeak, useProjectBackend } from "../helpers/tf.ts";

await useProjectBackend();

Deno.test("lookupRows equals the one-hot product, and so does its gradient (repeated codes summed)", () => {
  const W = tf.randomNormal([7, 5], 0, 1, "float32", 3);
  const codes = tf.tensor1d([3, 0, 3, 6, 3], "int32");
  const dy = tf.randomNormal([5, 5], 0, 1, "float32", 4);
  const f = (w: tf.Tensor) => tf.sum(tf.mul(lookupRows(w, codes), dy));
  const g = (w: tf.Tensor) => tf.sum(tf.mul(tf.matMul(tf.oneHot(codes, 7).toFloat(), w), dy));
  const [a, b] = tf.tidy(() => [tf.grad(f)(W).dataSync(), tf.grad(g)(W).dataSync()]);
  assertClose(a, b, { what: "dW" });
  assertClose(tf.tidy(() => f(W).dataSync()), tf.tidy(() => g(W).dataSync()), { what: "value" });
  assert.ok(a.slice(5, 10).every((v) => v === 0), "row 1 is never looked up: no gradient");
  assert.throws(() => lookupRows(W, tf.tensor1d([7], "int32")), /outside the 7 rows/);
  assertNoLeak(() => tf.tidy(() => tf.grad(f)(W)).dispose(), "lookup gradient");
});

Deno.test("a lookup-input text network gives the one-hot network's loss and gradients (two layers, skip inputs)", () => {
  const hot = { symbols: 11, cells: 6, layers: 2, clip: 1 };
  const look = { ...hot, input: "lookup" as const };
  const p = initParams(textSpecs(hot), 5);
  const names = Object.keys(p), ws = Object.values(p);
  const codes = tf.tensor2d([[1, 4, 4, 10], [0, 2, 9, 3]], [2, 4], "int32");
  const targets = tf.reshape(tf.transpose(tf.tensor2d([[4, 4, 10, 2], [2, 9, 3, 3]], [2, 4], "int32")), [-1]);
  const loss = (c: typeof hot) => (...w: tf.Tensor[]) => {
    const q = Object.fromEntries(names.map((k, i) => [k, w[i]]));
    return bitsPerSymbol(textForward(q, c, codes, textZeroState(c, 2)).logits, targets);
  };
  tf.tidy(() => {
    assertClose(loss(look)(...ws).dataSync(), loss(hot)(...ws).dataSync(), { what: "loss" });
    const [ga, gb] = [tf.grads(loss(look))(ws), tf.grads(loss(hot))(ws)];
    ga.forEach((t, i) => assertClose(t.dataSync(), gb[i].dataSync(), { what: names[i] }));
  });
});
