/**
 * The fused LSTM op against autograd of the step-by-step reference and against
 * finite differences; derivative clipping; carried state; no tensor leaks.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { lstmSequence } from "../../lib/nn/lstm_sequence.ts";
import { lstmStep, peepholes } from "../../lib/nn/lstm_cell.ts";
import { assertClose, assertNoLeak, randomArray, useProjectBackend } from "../helpers/tf.ts";

await useProjectBackend();
const [T, B, H] = [5, 3, 4];

function inputs(seed: number) {
  return {
    zx: tf.tensor3d(randomArray(T * B * 4 * H, seed), [T, B, 4 * H]),
    Wh: tf.tensor2d(randomArray(H * 4 * H, seed + 1), [H, 4 * H]).mul(0.5) as tf.Tensor,
    peep: tf.tensor2d(randomArray(3 * H, seed + 2), [3, H]),
    h0: tf.tensor2d(randomArray(B * H, seed + 3), [B, H]).mul(0.5) as tf.Tensor,
    c0: tf.tensor2d(randomArray(B * H, seed + 4), [B, H]),
    w: tf.tensor3d(randomArray(T * B * H, seed + 5), [T, B, H]), // loss weights
  };
}

/** Σ w·h of the fused op on [zx, Wh, peep, h0, c0]: a scalar whose gradients reach every input. */
function fusedLoss([zx, Wh, peep, h0, c0]: tf.Tensor[], w: tf.Tensor): tf.Scalar {
  const o = lstmSequence(zx, Wh, peep, h0, c0);
  o.cT.dispose();
  return tf.sum(tf.mul(o.h, w));
}

function reference(zx: tf.Tensor, Wh: tf.Tensor, peep: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor) {
  const p = peepholes(peep);
  let h = h0, c = c0;
  const hs = [];
  for (const z of tf.unstack(zx) as tf.Tensor[]) {
    ({ h, c } = lstmStep(z, h, c, Wh, p));
    hs.push(h);
  }
  return { h: tf.stack(hs) as tf.Tensor, c };
}

Deno.test("fused LSTM: forward and all five gradients match autograd of the step-by-step cell", () => {
  tf.tidy(() => {
    const x = inputs(1);
    const args = [x.zx, x.Wh, x.peep, x.h0, x.c0];
    const fused = (...a: tf.Tensor[]) => fusedLoss(a, x.w);
    const ref = (...a: tf.Tensor[]) =>
      tf.sum(
        tf.mul(
          reference(
            a[0] as tf.Tensor,
            a[1] as tf.Tensor,
            a[2] as tf.Tensor,
            a[3] as tf.Tensor,
            a[4] as tf.Tensor,
          ).h,
          x.w,
        ),
      );
    const o = lstmSequence(x.zx, x.Wh, x.peep, x.h0, x.c0);
    const r = reference(x.zx, x.Wh, x.peep, x.h0, x.c0);
    assertClose(o.h.dataSync(), r.h.dataSync(), { what: "h" });
    assertClose(o.cT.dataSync(), r.c.dataSync(), { what: "c_T" });
    o.cT.dispose();
    const gf = tf.grads(fused)(args), gr = tf.grads(ref)(args);
    ["zx", "Wh", "peep", "h0", "c0"].forEach((n, i) =>
      assertClose(gf[i].dataSync(), gr[i].dataSync(), { what: `d${n}`, atol: 1e-5 })
    );
  });
});

Deno.test("fused LSTM: gradients match central finite differences", () => {
  tf.tidy(() => {
    const x = inputs(7);
    const names = ["zx", "Wh", "peep", "h0", "c0"] as const;
    const vals = names.map((n) => x[n].dataSync().slice() as Float32Array);
    const shapes = names.map((n) => x[n].shape);
    const loss = (v: Float32Array[]) =>
      tf.tidy(() => {
        const o = lstmSequence(
          tf.tensor3d(v[0], shapes[0] as [number, number, number]),
          tf.tensor2d(v[1], shapes[1] as [number, number]),
          tf.tensor2d(v[2], shapes[2] as [number, number]),
          tf.tensor2d(v[3], shapes[3] as [number, number]),
          tf.tensor2d(v[4], shapes[4] as [number, number]),
        );
        o.cT.dispose();
        return tf.sum(tf.mul(o.h, x.w)).dataSync()[0];
      });
    const g = tf.grads((...a: tf.Tensor[]) => fusedLoss(a, x.w))(names.map((n) => x[n]));
    const eps = 1e-2;
    names.forEach((n, k) => {
      const analytic = g[k].dataSync();
      for (const idx of [0, 3, vals[k].length - 1]) {
        const plus = vals.map((v) => v.slice()), minus = vals.map((v) => v.slice());
        plus[k][idx] += eps;
        minus[k][idx] -= eps;
        const numeric = (loss(plus) - loss(minus)) / (2 * eps);
        assert.ok(
          Math.abs(numeric - analytic[idx]) < 2e-3 + 1e-2 * Math.abs(numeric),
          `d${n}[${idx}]: numeric ${numeric}, analytic ${analytic[idx]}`,
        );
      }
    });
  });
});

Deno.test("fused LSTM: pre-activation derivatives are clipped to [−clip, clip]", () => {
  tf.tidy(() => {
    const x = inputs(3);
    const big = tf.mul(x.w, 100);
    const dzx = tf.grad((zx: tf.Tensor) => {
      const o = lstmSequence(zx as tf.Tensor, x.Wh, x.peep, x.h0, x.c0, 0.25);
      o.cT.dispose();
      return tf.sum(tf.mul(o.h, big));
    })(x.zx);
    const d = dzx.dataSync();
    assert.ok(d.every((v) => Math.abs(v) <= 0.25 + 1e-7), "a derivative exceeds the clip");
    assert.ok(
      d.some((v) => Math.abs(v) === 0.25),
      "nothing was clipped: the test does not exercise clipping",
    );
  });
});

Deno.test("fused LSTM: two carried segments equal one long sequence", () => {
  tf.tidy(() => {
    const x = inputs(5);
    const whole = lstmSequence(x.zx, x.Wh, x.peep, x.h0, x.c0);
    const [a, b] = tf.split(x.zx, [2, 3], 0) as tf.Tensor[];
    const s1 = lstmSequence(a, x.Wh, x.peep, x.h0, x.c0);
    const hLast = tf.squeeze(tf.slice(s1.h, [1, 0, 0], [1, B, H]), [0]) as tf.Tensor;
    const s2 = lstmSequence(b, x.Wh, x.peep, hLast, s1.cT);
    assertClose(tf.concat([s1.h, s2.h], 0).dataSync(), whole.h.dataSync(), { what: "h" });
    assertClose(s2.cT.dataSync(), whole.cT.dataSync(), { what: "c_T" });
    tf.dispose([whole.cT, s1.cT, s2.cT]);
  });
});

Deno.test("fused LSTM: a forward and backward pass leaks no tensors", () => {
  const x = inputs(9);
  assertNoLeak(() =>
    tf.tidy(() => {
      const g = tf.grads((zx: tf.Tensor, Wh: tf.Tensor) => {
        const o = lstmSequence(zx as tf.Tensor, Wh as tf.Tensor, x.peep, x.h0, x.c0, 1);
        o.cT.dispose();
        return tf.sum(o.h);
      })([x.zx, x.Wh]);
      g.forEach((t) => t.dataSync());
    }), "LSTM step");
  tf.dispose(Object.values(x));
});

Deno.test("a one-step layer (the sampling path) equals the fused op on the same step", async () => {
  const { cellLayer } = await import("../../lib/models/stack.ts");
  tf.tidy(() => {
    const x = inputs(11);
    const p = { "l.Wx": tf.eye(4 * H), "l.b": tf.zeros([4 * H]), "l.Wh": x.Wh, "l.peep": x.peep };
    const z1 = tf.slice(x.zx, [0, 0, 0], [1, B, 4 * H]);
    const one = cellLayer(p, "l", [z1], x.h0, x.c0, Infinity);
    const fused = lstmSequence(z1, x.Wh, x.peep, x.h0, x.c0);
    assertClose(one.h.dataSync(), fused.h.dataSync(), { what: "h" });
    assertClose(one.cT.dataSync(), fused.cT.dataSync(), { what: "c" });
    fused.cT.dispose();
  });
});
