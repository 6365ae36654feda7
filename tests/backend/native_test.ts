/**
 * The native kernels of the offline CPU path (`lib/backend/native.ts`) against what they
 * replace: the LSTM sequence op (forward, all gradients, clipping, saturated gates) and the
 * one-step op against their tfjs ops, the RMSProp update against eqs 39-42, and layer 1 with
 * the window against the step-by-step ops.
 */
import * as tf from "../../lib/tf.ts";
import assert from "node:assert/strict";
import { backendReport } from "../../lib/backend.ts";
import { hasNativeKernel, LSTM_BACKWARD, LSTM_FORWARD, RMSPROP } from "../../lib/backend/native.ts";
import { lstmSequence, lstmStepOp } from "../../lib/nn/lstm_sequence.ts";
import { lstmStep, peepholes } from "../../lib/nn/lstm_cell.ts";
import { RMSPROP_PAPER } from "../../lib/train/optimizers.ts";
import { initParams, type Params } from "../../lib/nn/params.ts";
import {
  oneHotText,
  SYNTHESIS_TINY,
  synthesisLoss,
  synthesisSpecs,
  synthesisZeroState,
} from "../../lib/models/synthesis.ts";
import { assertClose, assertNoLeak, randomArray } from "../helpers/tf.ts";
import { active, native } from "../helpers/native.ts";

Deno.test(`native kernels are active on ${active} exactly when they can be (else the report says why)`, () => {
  const line = backendReport()!.line;
  for (const k of [LSTM_FORWARD, LSTM_BACKWARD, RMSPROP]) {
    assert.equal(hasNativeKernel(k), native, `${k}: ${line}`);
  }
  if (active === "wasm-blas" && !native) assert.match(line, /native kernels off: /);
});

const tensor = (shape: number[], seed: number, scale = 1) =>
  tf.mul(tf.tensor(randomArray(tf.util.sizeFromShape(shape), seed), shape), scale) as tf.Tensor;

for (const [clip, B] of [[Infinity, 5], [0.05, 5], [1, 1]]) {
  Deno.test({
    name: `native LSTM matches the tfjs ops: forward, c_T and all five gradients (clip ${clip}, B = ${B})`,
    ignore: !native,
    fn: () => {
      const [T, H] = [9, 37]; // H not a multiple of the vector width: the loop tails run too; B = 1: sampling
      tf.tidy(() => {
        // pre-activations up to ±12 saturate some gates (the exp clamp and σ tails)
        const args = [
          tensor([T, B, 4 * H], 1, 12),
          tensor([H, 4 * H], 2, 0.3),
          tensor([3, H], 3),
          tensor([B, H], 4),
          tensor([B, H], 5, 2),
        ];
        const w = tensor([T, B, H], 6);
        const run = (impl: "auto" | "ops") => {
          let cT: tf.Tensor | undefined;
          const f = (...a: tf.Tensor[]) => {
            const o = lstmSequence(a[0], a[1], a[2], a[3], a[4], clip, impl);
            cT = o.cT;
            return tf.sum(tf.mul(o.h, w)) as tf.Scalar;
          };
          const { value, grads } = tf.valueAndGrads(f)(args);
          return { value: value.dataSync()[0], cT: cT!.dataSync(), grads: grads.map((g) => g.dataSync()) };
        };
        const got = run("auto"), want = run("ops");
        assertClose([got.value], [want.value], { what: "Σ w·h" });
        assertClose(got.cT, want.cT, { what: "c_T" });
        ["zx", "Wh", "peep", "h0", "c0"].forEach((name, i) =>
          assertClose(got.grads[i], want.grads[i], { atol: 1e-5, rtol: 1e-4, what: `d${name}` })
        );
      });
    },
  });
}

Deno.test({
  name: "native one-step op: three chained steps match lstmStep, gradients through h and c included",
  ignore: !native,
  fn: () => {
    const [B, H] = [4, 21];
    tf.tidy(() => {
      const args = [
        tensor([3, B, 4 * H], 1, 6),
        tensor([H, 4 * H], 2, 0.3),
        tensor([3, H], 3),
        tensor([B, H], 4),
        tensor([B, H], 5),
      ];
      const run = (fused: boolean) => {
        const f = (zx: tf.Tensor, Wh: tf.Tensor, peep: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor) => {
          let h = h0, c = c0;
          for (const z of tf.unstack(zx)) {
            ({ h, c } = fused
              ? lstmStepOp(z, h, c, Wh, peep, 0.5)
              : lstmStep(z, h, c, Wh, peepholes(peep), 0.5));
          }
          return tf.add(tf.sum(tf.mul(h, 0.7)), tf.sum(tf.square(c))) as tf.Scalar;
        };
        const { value, grads } = tf.valueAndGrads(f as (...a: tf.Tensor[]) => tf.Scalar)(args);
        return [value.dataSync(), ...grads.map((g) => g.dataSync())];
      };
      const got = run(true), want = run(false);
      ["loss", "dzx", "dWh", "dpeep", "dh0", "dc0"].forEach((what, i) =>
        assertClose(got[i], want[i], { what })
      );
    });
  },
});

Deno.test({
  name: "native LSTM: a forward and backward pass leaks no tensors",
  ignore: !native,
  fn: () => {
    const a = [
      tensor([4, 3, 8 * 4], 1),
      tensor([8, 32], 2),
      tensor([3, 8], 3),
      tensor([3, 8], 4),
      tensor([3, 8], 5),
    ];
    assertNoLeak(() =>
      tf.tidy(() => {
        const g = tf.grads((zx: tf.Tensor, Wh: tf.Tensor) => {
          const o = lstmSequence(zx, Wh, a[2], a[3], a[4], 1);
          o.cT.dispose();
          return tf.sum(o.h);
        })([a[0], a[1]]);
        g.forEach((t) => t.dataSync());
      }), "native LSTM");
    tf.dispose(a);
  },
});

Deno.test({
  name: "native RMSProp kernel equals eqs 39-42 written as tfjs ops",
  ignore: !native,
  fn: () => {
    const shape = [7, 29];
    const [w, eps, g, d] = [1, 2, 3, 4].map((s) => tensor(shape, s));
    const n = tf.add(tf.square(g), tf.abs(tensor(shape, 5))); // n ≥ g², as the running moments keep it
    const { decay: aleph, momentum: beth, learningRate: gimel, epsilon: daleth } = RMSPROP_PAPER; // ℵ ℶ ℷ ℸ
    const [w2, n2, g2, d2] = tf.engine().runKernel(RMSPROP, { w, eps, n, g, d }, {
      ...RMSPROP_PAPER,
    }) as tf.Tensor[];
    tf.tidy(() => {
      const nR = tf.add(tf.mul(aleph, n), tf.mul(1 - aleph, tf.square(eps)));
      const gR = tf.add(tf.mul(aleph, g), tf.mul(1 - aleph, eps));
      const dR = tf.sub(
        tf.mul(beth, d),
        tf.div(tf.mul(gimel, eps), tf.sqrt(tf.add(tf.sub(nR, tf.square(gR)), daleth))),
      );
      assertClose(n2.dataSync(), nR.dataSync(), { what: "n (eq 39)" });
      assertClose(g2.dataSync(), gR.dataSync(), { what: "g (eq 40)" });
      assertClose(d2.dataSync(), dR.dataSync(), { atol: 1e-7, rtol: 1e-4, what: "Δ (eq 41)" });
      assertClose(w2.dataSync(), tf.add(w, dR).dataSync(), { what: "w (eq 42)" });
    });
    tf.dispose([w, eps, n, g, d, w2, n2, g2, d2]);
  },
});

for (const clip of [10, 0.05]) {
  Deno.test({
    name:
      `native layer 1 + window op matches the step-by-step ops: loss, φ, state, every gradient (clip ${clip})`,
    ignore: !native,
    fn: () => {
      const cfg = {
        ...SYNTHESIS_TINY,
        cells: 13,
        layers: 2,
        mixtures: 3,
        windowMixtures: 3,
        charClasses: 7,
        clip,
      };
      const init = initParams(synthesisSpecs(cfg), 3);
      const p = Object.fromEntries(Object.entries(init).map(([k, v]) => [k, tf.mul(v, 3)])) as Params;
      const [T, B, U] = [9, 3, 5];
      const x = tensor([T, B, 3], 5);
      const eos = tf.cast(tf.greater(tensor([T, B, 1], 6), 0), "float32");
      const target = tf.concat([tensor([T, B, 2], 7), eos], 2), mask = tf.ones([T, B]);
      const chars = oneHotText(Int32Array.from([1, 2, 3, -1, -1, 0, 6, 6, 5, 4, 2, 2, 2, 2, 2]), B, U, 7);
      // a mid-line state: κ > 0, a non-zero window and layer-1 state, so their gradients are exercised
      const start = [tf.abs(tensor([B, 3], 9)), tensor([B, 7], 10), tensor([B, 13], 11), tensor([B, 13], 12)];
      const run = (impl: "auto" | "ops") => {
        let phi: Float32Array | undefined, kappaT: Float32Array | undefined, cT: Float32Array | undefined;
        const f = (...a: tf.Tensor[]) => {
          const [kappa, w, h0, c0, ...weights] = a;
          const q = Object.fromEntries(Object.keys(p).map((k, i) => [k, weights[i]])) as Params;
          const st = synthesisZeroState(cfg, B);
          const state = { stack: { h: [h0, st.stack.h[1]], c: [c0, st.stack.c[1]] }, kappa, w };
          const r = synthesisLoss(q, cfg, x, target, mask, chars, state, impl);
          [phi, kappaT, cT] = [r.phi, r.state.kappa, r.state.stack.c[0]].map((t) =>
            t.dataSync() as Float32Array
          );
          tf.dispose(r.state.stack.c); // carried cell states outlive tidy (the next segment's), as in training
          return r.loss;
        };
        const { value, grads } = tf.valueAndGrads(f)([...start, ...Object.values(p)]);
        return {
          value: value.dataSync()[0],
          phi: phi!,
          kappaT: kappaT!,
          cT: cT!,
          grads: grads.map((g) => g.dataSync()),
        };
      };
      tf.tidy(() => {
        const got = run("auto"), want = run("ops");
        assert.ok(
          Math.abs(got.value - want.value) < 1e-4 * Math.abs(want.value),
          `loss ${got.value} vs ${want.value}`,
        );
        assertClose(got.phi, want.phi, { atol: 1e-5, rtol: 1e-4, what: "φ" });
        assertClose(got.kappaT, want.kappaT, { what: "κ_T" });
        assertClose(got.cT, want.cT, { what: "c¹_T" });
        const names = ["κ_0", "w_0", "h¹_0", "c¹_0", ...Object.keys(p)];
        got.grads.forEach((g, i) =>
          assertClose(g, want.grads[i], { atol: 1e-4, rtol: 1e-3, what: `d/d ${names[i]}` })
        );
      });
      assertNoLeak(() => tf.tidy(() => void run("ops")), "ops window");
      assertNoLeak(() => tf.tidy(() => void run("auto")), "native window op");
      tf.dispose([...Object.values(init), ...Object.values(p), x, eos, target, mask, chars, ...start]);
    },
  });
}

Deno.test({
  name:
    "native kernels pass NaN through as the tfjs ops do (no clamp turns it finite): LSTM, its gradient, RMSProp",
  ignore: !native,
  fn: () =>
    tf.tidy(() => {
      const [T, B, H] = [3, 2, 5];
      const poisoned = tf.tensor(randomArray(T * B * 4 * H, 1).map((v, i) => (i === 7 ? NaN : v)), [
        T,
        B,
        4 * H,
      ]);
      const args = [
        tensor([H, 4 * H], 2, 0.3),
        tensor([3, H], 3),
        tensor([B, H], 4),
        tensor([B, H], 5),
      ] as const;
      const native = lstmSequence(poisoned, ...args, 1);
      const ops = lstmSequence(poisoned, ...args, 1, "ops");
      const nanAt = (t: tf.Tensor) => [...t.dataSync()].map((v) => Number.isNaN(v));
      assert.ok(nanAt(native.h).some(Boolean), "a NaN pre-activation gives a NaN output");
      assert.deepEqual(nanAt(native.h), nanAt(ops.h), "in the same places as the tfjs ops");
      const g = tf.grad((zx: tf.Tensor) => tf.sum(lstmSequence(zx, ...args, 1).h))(poisoned);
      assert.ok(nanAt(g).some(Boolean), "the clipped derivative of a NaN stays NaN");
      const [w, eps, n, gs, d] = [1, 2, 3, 4, 5].map((s) => tensor([4, 3], s));
      const [w2] = tf.engine().runKernel(RMSPROP, { w, eps: tf.mul(eps, NaN), n: tf.abs(n), g: gs, d }, {
        ...RMSPROP_PAPER,
      }) as tf.Tensor[];
      assert.ok(nanAt(w2).every(Boolean), "RMSProp with a NaN gradient writes NaN, for the run to catch");
    }),
});
