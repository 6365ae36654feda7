/**
 * The native kernels of the offline CPU path (`lib/backend/native.ts`)
 * against what they replace: the LSTM sequence op (forward, all gradients,
 * clipping, saturated gates) against its tfjs ops, the RMSProp update against
 * the optimiser's ops, `Sum` over leading axes against the stock `cpu`
 * backend, the copy-free `Identity`, and the synthesis sampling step
 * against `synthesisForward`; subnormals are flushed inside the kernels only.
 */
import * as tf from "../lib/tf.ts";
import assert from "node:assert/strict";
import { backendReport } from "../lib/backend.ts";
import { hasNativeKernel, LSTM_BACKWARD, LSTM_FORWARD, NORMAL, RMSPROP } from "../lib/backend/native.ts";
import { gaussianNoise } from "../lib/train/noise.ts";
import { lstmSequence, lstmStepOp } from "../lib/nn/lstm_sequence.ts";
import { lstmStep, peepholes } from "../lib/nn/lstm_cell.ts";
import { RMSPROP_PAPER } from "../lib/train/optimizers.ts";
import { initParams, type Params } from "../lib/nn/params.ts";
import {
  oneHotText,
  SYNTHESIS_TINY,
  synthesisLoss,
  synthesisSpecs,
  synthesisZeroState,
} from "../lib/models/synthesis.ts";
import { sampleSynthesis, synthesisStepper } from "../lib/models/synthesis_sample.ts";
import { Rng } from "../lib/train/rng.ts";
import { HANDWRITING_TINY, handwritingSpecs, sampleHandwriting } from "../lib/models/handwriting.ts";
import { nativeStepper } from "../lib/models/native_step.ts";
import { assertClose, assertNoLeak, onBackend, randomArray, useProjectBackend } from "./helpers/tf.ts";

const active = await useProjectBackend();
const cc = Deno.env.get("CC") ?? "cc";
const hasCompiler = await new Deno.Command(cc, { args: ["--version"], stdout: "null", stderr: "null" })
  .output().then((r) => r.success, () => false);
const native = active === "wasm-blas" && hasCompiler && Deno.env.get("GRAVES_NATIVE") !== "0";

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
    const { aleph, beth, gimel, daleth } = RMSPROP_PAPER;
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
  name: "native synthesis sampling step matches the tfjs ops: ŷ and φ over 40 steps, then whole samples",
  ignore: !native,
  fn: () => {
    // H, K, V and the output not multiples of the vector width; weights ×3 so gates and the window move
    const cfg = { ...SYNTHESIS_TINY, cells: 37, layers: 3, mixtures: 4, windowMixtures: 3, charClasses: 11 };
    const init = initParams(synthesisSpecs(cfg), 7);
    const p = Object.fromEntries(Object.entries(init).map(([k, v]) => [k, tf.mul(v, 3)])) as Params;
    const codes = Int32Array.from([3, 0, 10, 5, 5, 1, -1]);
    const [a, b] = [synthesisStepper(p, cfg, codes), synthesisStepper(p, cfg, codes, "ops")];
    assert.equal(a.impl, "native");
    const xs = randomArray(3 * 40, 8);
    for (let t = 0; t < 40; t++) {
      const x = Float32Array.from([xs[3 * t], xs[3 * t + 1], t % 7 === 6 ? 1 : 0]);
      const got = a.step(x), want = b.step(x);
      assertClose(got.yHat, want.yHat, { atol: 1e-4, rtol: 1e-4, what: `ŷ at step ${t}` });
      assertClose(got.phi, want.phi, { atol: 1e-5, rtol: 1e-4, what: `φ at step ${t}` });
    }
    a.dispose();
    b.dispose();
    const text = Int32Array.from([1, 2, 3, 4]);
    const run = (impl: "auto" | "ops") =>
      sampleSynthesis(p, cfg, text, new Rng(3), { bias: 0.5, maxSteps: 30, prime: xs.slice(0, 12), impl });
    const fast = assertNoLeak(() => run("auto"), "native sampling"), ref = run("ops");
    assert.equal(fast.impl, "native");
    assert.equal(fast.steps, ref.steps);
    assertClose(fast.points, ref.points, { atol: 1e-3, rtol: 1e-3, what: "sampled points" });
    assertClose(fast.phi, ref.phi, { atol: 1e-4, rtol: 1e-3, what: "φ of the sample" });
    tf.dispose([...Object.values(init), ...Object.values(p)]);
  },
});

Deno.test({
  name:
    "native sampling step without a window (the prediction network) writes the same handwriting as the tfjs ops",
  ignore: !native,
  fn: () => {
    const cfg = { ...HANDWRITING_TINY, cells: 21, layers: 3, mixtures: 4 };
    const init = initParams(handwritingSpecs(cfg), 4);
    const p = Object.fromEntries(Object.entries(init).map(([k, v]) => [k, tf.mul(v, 3)])) as Params;
    const fast = assertNoLeak(
      () => sampleHandwriting(p, cfg, 40, new Rng(5), 0.5),
      "native handwriting sampling",
    );
    const ref = sampleHandwriting(p, cfg, 40, new Rng(5), 0.5, "ops");
    assertClose(fast, ref, { atol: 1e-3, rtol: 1e-3, what: "40 sampled points" });
    // σ-only bias (π unbiased) on both paths.
    const sigmaFast = sampleHandwriting(p, cfg, 40, new Rng(5), 0.5, "auto", false);
    const sigmaRef = sampleHandwriting(p, cfg, 40, new Rng(5), 0.5, "ops", false);
    assertClose(sigmaFast, sigmaRef, { atol: 1e-3, rtol: 1e-3, what: "40 points, σ-only bias" });
    assert.notDeepEqual(sigmaFast, fast, "biasWeights reaches the sampler");
    assert.ok(nativeStepper(p, cfg) !== undefined);
    tf.dispose([...Object.values(init), ...Object.values(p)]);
  },
});

Deno.test({
  name:
    "native Gaussian noise: mean, std and tails of N(0, σ²), reproducible from its seed, odd sizes filled",
  ignore: !native,
  fn: () =>
    tf.tidy(() => {
      assert.ok(hasNativeKernel(NORMAL));
      const n = 1_000_001, sigma = 0.075;
      const x = gaussianNoise([n], sigma, 42).dataSync();
      let m = 0, v = 0, beyond2 = 0, beyond3 = 0;
      for (const a of x) m += a / n;
      for (const a of x) {
        v += (a - m) ** 2 / n;
        if (Math.abs(a) > 2 * sigma) beyond2++;
        if (Math.abs(a) > 3 * sigma) beyond3++;
      }
      assert.ok(Math.abs(m) < 5 * sigma / Math.sqrt(n), `mean ${m}`);
      assert.ok(Math.abs(Math.sqrt(v) / sigma - 1) < 0.005, `std ${Math.sqrt(v)}`);
      assert.ok(Math.abs(beyond2 / n - 0.0455) < 0.002, `P(|x| > 2σ) = ${beyond2 / n}`); // normal: 4.55%
      assert.ok(Math.abs(beyond3 / n - 0.0027) < 0.0004, `P(|x| > 3σ) = ${beyond3 / n}`); // normal: 0.27%
      assert.ok(Number.isFinite(x[n - 1]) && x[n - 1] !== 0, "the last element of an odd size is drawn");
      assert.deepEqual(gaussianNoise([7, 3], 1, 9).dataSync(), gaussianNoise([7, 3], 1, 9).dataSync());
      assert.notDeepEqual(gaussianNoise([7, 3], 1, 9).dataSync(), gaussianNoise([7, 3], 1, 10).dataSync());
    }),
});

Deno.test({
  name:
    "native kernels flush subnormals to zero inside (x86), and JavaScript keeps its subnormals after them",
  ignore: !native || Deno.build.arch !== "x86_64",
  fn: () =>
    tf.tidy(() => {
      // σ = 1e-40 is subnormal in float32: read as zero inside the kernel, every draw is 0
      const x = gaussianNoise([64], 1e-40, 3).dataSync();
      assert.ok(x.every((a) => a === 0), `subnormal draws survived: ${x.find((a) => a !== 0)}`);
      // the caller's floating-point mode came back: reading a float32 subnormal into a
      // JavaScript number (where a leaked DAZ would read zero) keeps its value
      assert.ok(new Float32Array([1e-40])[0] > 0, "flush-to-zero leaked out of the kernel");
    }),
});

Deno.test(`sum over every axis set on ${active} matches cpu (leading axes run natively)`, async () => {
  const shapes = [[37, 19], [6, 5, 17], [3, 4, 5, 6]];
  for (const shape of shapes) {
    const data = randomArray(tf.util.sizeFromShape(shape), shape.length);
    const axesSets = [[0], [0, 1], [shape.length - 1], [1], [0, shape.length - 1], [...shape.keys()]];
    for (const axes of axesSets) {
      for (const keepDims of [false, true]) {
        const run = () =>
          tf.tidy(() => {
            const s = tf.sum(tf.tensor(data, shape), axes, keepDims);
            return { shape: s.shape, v: s.dataSync() };
          });
        const got = run(), want = await onBackend("cpu", run);
        const what = `sum [${shape}] axes ${axes} keepDims ${keepDims}`;
        assert.deepEqual(got.shape, want.shape, what);
        assertClose(got.v, want.v, { atol: 1e-5, what });
      }
    }
  }
});

Deno.test(`clone on ${active} survives disposing its source, and reads the same values`, () => {
  const x = tf.tensor([1, 2, 3]);
  const y = tf.clone(x);
  x.dispose();
  assert.deepEqual([...y.dataSync()], [1, 2, 3]);
  y.dispose();
});
