/**
 * The offline CPU path's replacement kernels must agree with the stock `cpu`
 * backend on random inputs: every transpose and batch combination of matMul,
 * its gradients, and slices/unstacks/splits of every rank and dtype.
 */
import * as tf from "../../lib/tf.ts";
import assert from "node:assert/strict";
import { assertClose, assertNoLeak, onBackend, randomArray, useProjectBackend } from "../helpers/tf.ts";

const active = await useProjectBackend(); // e.g. "wasm-blas"

Deno.test(`matMul on ${active} matches cpu: all transposes and batch shapes, one-row products too`, async () => {
  const cases: [number[], number[]][] = [
    [[], []],
    [[3], [3]],
    [[1], [4]],
    [[4], [1]],
    [[2, 3], [2, 3]],
  ];
  let seed = 1;
  for (
    const [[ba, bb], m] of [
      ...cases.map((c) => [c, 5] as const),
      [[[], []], 1] as const,
      [[[1], [1]], 1] as const,
    ]
  ) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        const [k, n] = [7, 3]; // m = 1: one-row products (sampling)
        const aShape = [...ba, ...(tA ? [k, m] : [m, k])];
        const bShape = [...bb, ...(tB ? [n, k] : [k, n])];
        const av = randomArray(tf.util.sizeFromShape(aShape), seed++);
        const bv = randomArray(tf.util.sizeFromShape(bShape), seed++);
        const run = () =>
          tf.tidy(() => {
            const out = tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), tA, tB);
            return { shape: out.shape, data: out.dataSync().slice() };
          });
        const ours = assertNoLeak(run, "matMul");
        const ref = await onBackend("cpu", run);
        const what = `a${JSON.stringify(aShape)}${tA ? "ᵀ" : ""} b${JSON.stringify(bShape)}${tB ? "ᵀ" : ""}`;
        assert.deepEqual(ours.shape, ref.shape, what);
        assertClose(ours.data, ref.data, { what });
      }
    }
  }
});

Deno.test(`matMul of a large operand (sgemm blocking) matches cpu`, async () => {
  const [m, k, n] = [130, 257, 65];
  const av = randomArray(m * k, 11), bv = randomArray(k * n, 12);
  const run = () =>
    tf.tidy(() => tf.matMul(tf.tensor2d(av, [k, m]), tf.tensor2d(bv, [n, k]), true, true).dataSync().slice());
  assertClose(run(), await onBackend("cpu", run), { atol: 1e-4, what: "130×257×65" });
});

Deno.test(`matMul gradients on ${active} match cpu`, async () => {
  const av = randomArray(2 * 4 * 6, 3), bv = randomArray(2 * 6 * 5, 4), wv = randomArray(2 * 4 * 5, 5);
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
    const run = () =>
      tf.tidy(() => {
        const a = tf.tensor3d(av, [2, 4, 6]), b = tf.tensor3d(bv, [2, 6, 5]);
        const a2 = tA ? tf.transpose(a, [0, 2, 1]) : a;
        const b2 = tB ? tf.transpose(b, [0, 2, 1]) : b;
        const w = tf.tensor3d(wv, [2, 4, 5]);
        const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, tA, tB), w));
        const [ga, gb] = tf.grads(f)([a2, b2]);
        return [ga.dataSync().slice(), gb.dataSync().slice()];
      });
    const ours = assertNoLeak(run, "matMul gradient");
    const ref = await onBackend("cpu", run);
    assertClose(ours[0], ref[0], { what: `dA tA=${tA} tB=${tB}` });
    assertClose(ours[1], ref[1], { what: `dB tA=${tA} tB=${tB}` });
  }
});

function valuesFor(dtype: "float32" | "int32" | "bool", n: number, seed: number) {
  const r = randomArray(n, seed);
  if (dtype === "float32") return r;
  if (dtype === "int32") return Int32Array.from(r, (v) => Math.round(v * 1000));
  return Uint8Array.from(r, (v) => (v > 0 ? 1 : 0));
}

Deno.test(`slice on ${active} matches cpu for ranks 1-5 and every dtype`, async () => {
  const shapes = [[7], [4, 5], [3, 4, 5], [2, 3, 4, 5], [2, 2, 3, 2, 3]];
  let seed = 100;
  for (const shape of shapes) {
    for (const dtype of ["float32", "int32", "bool"] as const) {
      const vals = valuesFor(dtype, tf.util.sizeFromShape(shape), seed++);
      // contiguous, strided and whole-axis slices
      const begins = [
        shape.map(() => 0),
        shape.map((d) => Math.min(1, d - 1)),
        shape.map((d, i) => (i === 0 ? d - 1 : 0)),
      ];
      for (const begin of begins) {
        for (const sizeKind of ["rest", "one", "mixed"]) {
          const size = shape.map((d, i) =>
            sizeKind === "rest"
              ? d - begin[i]
              : sizeKind === "one"
              ? 1
              : i % 2
              ? -1
              : Math.max(1, d - begin[i] - 1)
          );
          const run = () =>
            tf.tidy(() => {
              const s = tf.slice(tf.tensor(vals, shape, dtype), begin, size);
              return { shape: s.shape, data: Array.from(s.dataSync()) };
            });
          const ours = assertNoLeak(run, "slice");
          const ref = await onBackend("cpu", run);
          const what = `${dtype} ${JSON.stringify(shape)} begin ${begin} size ${size}`;
          assert.deepEqual(ours, ref, what);
        }
      }
    }
  }
});

Deno.test(`unstack and split on ${active} match cpu on every axis`, async () => {
  const shape = [3, 4, 5];
  const vals = randomArray(60, 7);
  for (let axis = -3; axis < 3; axis++) {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor(vals, shape);
        const u = tf.unstack(x, axis).map((t) => ({ shape: t.shape, data: Array.from(t.dataSync()) }));
        const d = shape.at(axis)!;
        const s = tf.split(x, [1, d - 1], axis).map((t) => ({
          shape: t.shape,
          data: Array.from(t.dataSync()),
        }));
        const e = tf.split(x, d, axis).length;
        return { u, s, e };
      });
    const ours = assertNoLeak(run, "unstack/split");
    assert.deepEqual(ours, await onBackend("cpu", run), `axis ${axis}`);
  }
});

Deno.test(`gradients through slice, unstack and split on ${active} match cpu`, async () => {
  const vals = randomArray(2 * 3 * 4, 9), w = randomArray(3 * 4, 10);
  const run = () =>
    tf.tidy(() => {
      const f = (x: tf.Tensor) => {
        const parts = tf.unstack(x, 0);
        const [p, q] = tf.split(parts[1], [1, 3], 1);
        const s = tf.slice(parts[0], [1, 0], [2, 4]);
        return tf.sum(tf.mul(parts[0], tf.tensor(w, [3, 4]))).add(tf.sum(p.mul(2))).add(tf.sum(q.square()))
          .add(s.sum());
      };
      return tf.grad(f)(tf.tensor(vals, [2, 3, 4])).dataSync().slice();
    });
  assertClose(assertNoLeak(run, "slice gradients"), await onBackend("cpu", run), { what: "d/dx" });
});

Deno.test(`tanh on ${active} matches cpu to 1e-6, with its gradient`, async () => {
  const v = Float32Array.from(
    randomArray(2000, 21),
    (x, i) => x * (i % 4 === 0 ? 30 : i % 4 === 1 ? 1e-4 : 3),
  );
  const run = () =>
    tf.tidy(() => {
      const x = tf.tensor1d(v);
      return [
        tf.tanh(x).dataSync().slice(),
        tf.grad((t: tf.Tensor) => tf.sum(tf.tanh(t)))(x).dataSync().slice(),
      ];
    });
  const ours = assertNoLeak(run, "tanh");
  const ref = await onBackend("cpu", run);
  assertClose(ours[0], ref[0], { atol: 1e-6, rtol: 0, what: "tanh" });
  assertClose(ours[1], ref[1], { atol: 2e-6, rtol: 0, what: "dtanh" });
});
