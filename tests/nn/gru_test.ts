/**
 * The recurrent cell behind its interface: the GRU (`lib/nn/gru.ts`) against
 * its equations written out by hand, its gradient against finite
 * differences, and the handwriting network with `cell: "gru"` — its own
 * weights, training (the loss falls on a fixed batch), sampling through
 * tfjs ops (the native sampler knows the LSTM only) — with the LSTM default
 * untouched.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { GRU_CELL, gruStep } from "../../lib/nn/gru.ts";
import { cellOf } from "../../lib/nn/cells.ts";
import {
  HANDWRITING_TINY,
  handwritingLoss,
  handwritingSpecs,
  handwritingZeroState,
  sampleHandwriting,
} from "../../lib/models/handwriting.ts";
import { nativeStepper } from "../../lib/models/native_step.ts";
import { initParams } from "../../lib/nn/params.ts";
import { Rng } from "../../lib/util/rng.ts";
import { initBackend } from "../../lib/backend.ts";

await initBackend();
const sig = (v: number) => 1 / (1 + Math.exp(-v));

Deno.test("gru: one step is Cho et al.'s equations (r, z, ñ, h), written out for H = 1", () => {
  tf.tidy(() => {
    const [xr, xz, xn, h, wr, wz, wn] = [0.3, -0.2, 0.5, 0.4, 0.7, -0.6, 0.9];
    const got =
      gruStep(tf.tensor2d([[xr, xz, xn]]), tf.tensor2d([[h]]), tf.tensor2d([[wr, wz, wn]])).dataSync()[0];
    const r = sig(xr + h * wr), z = sig(xz + h * wz), n = Math.tanh(xn + (r * h) * wn);
    assert.ok(Math.abs(got - (z * h + (1 - z) * n)) < 1e-6, `${got}`);
  });
});

Deno.test("gru: the sequence's gradient matches finite differences", () => {
  tf.tidy(() => {
    const [T, B, H] = [4, 2, 3];
    const zx = tf.randomNormal([T, B, 3 * H], 0, 1, "float32", 1);
    const Wh = tf.randomNormal([H, 3 * H], 0, 0.5, "float32", 2);
    const h0 = tf.randomNormal([B, H], 0, 0.5, "float32", 3), c0 = tf.zeros([B, H]);
    const f = (w: tf.Tensor) =>
      tf.sum(tf.square(GRU_CELL.sequence({ "g.Wh": w }, "g", zx, h0, c0, Infinity).h));
    const g = tf.grad(f)(Wh).dataSync();
    const w = Wh.dataSync(), eps = 1e-2;
    for (const i of [0, 5, 13, 26]) {
      const up = Float32Array.from(w), down = Float32Array.from(w);
      up[i] += eps;
      down[i] -= eps;
      const fd =
        (f(tf.tensor2d(up, [H, 3 * H])).dataSync()[0] - f(tf.tensor2d(down, [H, 3 * H])).dataSync()[0]) /
        (2 * eps);
      assert.ok(Math.abs(fd - g[i]) < 2e-2 * Math.max(1, Math.abs(fd)), `∂/∂Wh[${i}]: ${g[i]} vs ${fd}`);
    }
  });
});

Deno.test("gru in the handwriting network: its own weights; trains (loss falls on a fixed batch); samples through ops", () => {
  const c = { ...HANDWRITING_TINY, cell: "gru" as const };
  const specs = handwritingSpecs(c);
  assert.deepEqual(specs["gru1.Wh"].shape, [c.cells, 3 * c.cells]);
  assert.deepEqual(specs["gru2.Wx"].shape, [3 + c.cells, 3 * c.cells]);
  assert.ok(!Object.keys(specs).some((k) => k.startsWith("lstm")), "no LSTM weights");
  assert.ok("lstm1.peep" in handwritingSpecs(HANDWRITING_TINY), "the default stays the paper's LSTM");
  const vars = initParams(specs, 1);
  const [T, B] = [20, 4];
  const x = tf.randomNormal([T, B, 3], 0, 1, "float32", 7),
    target = tf.randomNormal([T, B, 3], 0, 1, "float32", 8);
  const mask = tf.ones([T, B]);
  const loss = () => {
    const s = handwritingZeroState(c, B);
    const r = handwritingLoss(vars, c, x, target, mask, s);
    return r.loss;
  };
  const first = tf.tidy(() => loss().dataSync()[0]);
  const opt = tf.train.adam(1e-2);
  for (let i = 0; i < 15; i++) tf.tidy(() => void opt.minimize(loss, false, Object.values(vars)));
  const last = tf.tidy(() => loss().dataSync()[0]);
  assert.ok(Number.isFinite(first) && last < first, `loss ${first} → ${last}`);
  assert.equal(nativeStepper(vars, c), undefined, "the native sampler declines a cell it does not know");
  const before = tf.memory().numTensors;
  const pts = sampleHandwriting(vars, c, 12, new Rng(1));
  assert.equal(pts.length, 36);
  assert.ok(pts.every(Number.isFinite));
  assert.equal(tf.memory().numTensors, before, "sampling leaks no tensor");
  tf.dispose([x, target, mask, ...Object.values(vars)]);
  opt.dispose();
});

Deno.test("gru: c passes through as its own tensor (a task disposes the old state before saving the new)", () => {
  tf.tidy(() => {
    const c0 = tf.fill([1, 2], 0.5);
    const out = GRU_CELL.sequence(
      { "g.Wh": tf.zeros([2, 6]) },
      "g",
      tf.zeros([3, 1, 6]),
      tf.zeros([1, 2]),
      c0,
      1,
    );
    c0.dispose();
    assert.deepEqual(Array.from(out.cT.dataSync()), [0.5, 0.5]);
  });
});

Deno.test("cells: an unknown cell is refused with the ones there are", () => {
  assert.throws(() => cellOf("tanh"), /unknown cell "tanh": lstm, gru/);
  assert.equal(cellOf(undefined).name, "lstm");
});
