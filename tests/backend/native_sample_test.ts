/**
 * The native kernels of sampling and their numerics (`lib/backend/native.ts`): the synthesis
 * and prediction sampling steps against the tfjs ops, Gaussian noise, subnormals flushed
 * inside the kernels only, `Sum` over leading axes and the copy-free `Identity`.
 */
import * as tf from "../../lib/tf.ts";
import assert from "node:assert/strict";
import { hasNativeKernel, NORMAL } from "../../lib/backend/native.ts";
import { gaussianNoise } from "../../lib/train/noise.ts";
import { initParams, type Params } from "../../lib/nn/params.ts";
import { SYNTHESIS_TINY, synthesisSpecs } from "../../lib/models/synthesis.ts";
import { sampleSynthesis, synthesisStepper } from "../../lib/models/synthesis_sample.ts";
import { Rng } from "../../lib/util/rng.ts";
import { HANDWRITING_TINY, handwritingSpecs, sampleHandwriting } from "../../lib/models/handwriting.ts";
import { nativeStepper } from "../../lib/models/native_step.ts";
import { assertClose, assertNoLeak, onBackend, randomArray } from "../helpers/tf.ts";
import { active, native } from "../helpers/native.ts";

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
