/**
 * lib/train/optimizers.ts: RMSProp against eqs 39-42 worked by hand.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { RmsProp } from "../../lib/train/optimizers.ts";

await useProjectBackend();

Deno.test("RMSProp applies eqs 39-42 exactly as written", () => {
  const w = { w: tf.variable(tf.tensor1d([1, -2])) };
  const opt = new RmsProp({ decay: 0.95, momentum: 0.9, learningRate: 1e-4, epsilon: 1e-4 });
  let n = [0, 0], g = [0, 0], d = [0, 0], x = [1, -2];
  for (const eps of [[0.5, -1], [0.25, 2]]) {
    opt.apply(w, { w: tf.tensor1d(eps) });
    n = n.map((v, i) => 0.95 * v + 0.05 * eps[i] ** 2);
    g = g.map((v, i) => 0.95 * v + 0.05 * eps[i]);
    d = d.map((v, i) => 0.9 * v - (1e-4 * eps[i]) / Math.sqrt(n[i] - g[i] ** 2 + 1e-4));
    x = x.map((v, i) => v + d[i]);
  }
  const got = w.w.dataSync();
  x.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-6, `w[${i}] ${got[i]} vs ${v}`));
  tf.dispose([w.w, ...Object.values(opt.slots())]);
});
