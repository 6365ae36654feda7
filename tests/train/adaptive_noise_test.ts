/**
 * Adaptive weight noise (`lib/train/adaptive_noise.ts`): the description-length
 * gradients against autograd through the optimal prior, the sample, and a
 * Bayesian linear regression whose posterior σ the learned σ must approach.
 */
import * as tf from "../../lib/tf.ts";
import assert from "node:assert/strict";
import { AdaptiveWeightNoise, AWN_PREFIX, sigmaOptimizer } from "../../lib/train/adaptive_noise.ts";
import { PrefixSplit, RmsProp, RMSPROP_PAPER, SgdMomentum } from "../../lib/train/optimizers.ts";
import { trainStep } from "../../lib/train/step.ts";
import type { Params } from "../../lib/nn/params.ts";
import { assertClose, assertNoLeak, randomArray, useProjectBackend } from "../helpers/tf.ts";

await useProjectBackend();

const twoParams = () => ({
  a: tf.variable(tf.tensor2d(randomArray(12, 1), [3, 4]), true),
  b: tf.variable(tf.tensor1d(randomArray(5, 2).map((v) => 0.5 + v)), true),
});

Deno.test("AWN: the complexity gradients (at the optimal prior) equal autograd of L_C / S through the prior", () => {
  const mu = twoParams();
  const awn = new AdaptiveWeightNoise(mu, 7);
  // spread the σ so the prior's variance depends on them
  awn.logSigma.a.assign(tf.tensor2d(randomArray(12, 3).map((v) => -2 + v), [3, 4]));
  awn.logSigma.b.assign(tf.tensor1d(randomArray(5, 4).map((v) => -1 + v)));
  tf.tidy(() => {
    const zeros: Params = { a: tf.zerosLike(mu.a), b: tf.zerosLike(mu.b) };
    const got = awn.gradients(mu, zeros, zeros); // g = 0: only the complexity term
    const f = (a: tf.Tensor, b: tf.Tensor, sa: tf.Tensor, sb: tf.Tensor) =>
      tf.div(awn.complexity({ a, b }, { a: sa, b: sb }), 7) as tf.Scalar;
    const want = tf.grads(f)([mu.a, mu.b, awn.logSigma.a, awn.logSigma.b]);
    const names = ["a", "b", `${AWN_PREFIX}a`, `${AWN_PREFIX}b`];
    names.forEach((k, i) =>
      assertClose(got[k].dataSync(), want[i].dataSync(), { atol: 1e-5, rtol: 1e-3, what: k })
    );
  });
  awn.dispose();
  tf.dispose(Object.values(mu));
});

Deno.test("AWN: the sample is μ + σ ε, and the task's gradient g reaches μ as g and log σ as g ε σ", () => {
  const mu = twoParams();
  const awn = new AdaptiveWeightNoise(mu, 1e12); // complexity term negligible
  assertNoLeak(() =>
    tf.tidy(() => {
      const { params, eps } = awn.sample(mu, 11);
      for (const k of ["a", "b"] as const) {
        const sigma = tf.exp(awn.logSigma[k]);
        assertClose(tf.sub(params[k], mu[k]).dataSync(), tf.mul(sigma, eps[k]).dataSync(), {
          what: `w − μ, ${k}`,
        });
      }
      const g: Params = { a: tf.onesLike(mu.a), b: tf.mul(tf.onesLike(mu.b), -2) };
      const d = awn.gradients(mu, g, eps);
      assertClose(d.a.dataSync(), g.a.dataSync(), { atol: 1e-6, what: "∂/∂μ" });
      const want = tf.mul(tf.mul(g.b, eps.b), tf.exp(awn.logSigma.b));
      assertClose(d[`${AWN_PREFIX}b`].dataSync(), want.dataSync(), { atol: 1e-6, what: "∂/∂ log σ" });
    }), "AWN sample and gradients");
  awn.dispose();
  tf.dispose(Object.values(mu));
});

Deno.test("AWN on Bayesian linear regression: σ of weights the data pin down approach the posterior's; an unused weight's σ grows to the prior's", () => {
  // S sequences of n points: y = Σ_j w*_j x_j + N(0, 0.5²) with w* spread over [−3, 3] (so the
  // optimal prior is wide); a last input that is always 0 leaves its weight to the prior alone.
  const S = 100, n = 10, noise = 0.5, B = 10, D = 20;
  const wStar = Array.from({ length: D }, (_, j) => -3 + (6 * j) / (D - 1));
  const xs = randomArray(S * n * D, 5).map((v) => v * Math.sqrt(3)); // unit variance
  const e = randomArray(S * n, 6);
  const X = tf.concat([tf.tensor2d(xs, [S * n, D]), tf.zeros([S * n, 1])], 1);
  const Y = tf.tensor1d(Array.from({ length: S * n }, (_, i) => {
    let y = noise * Math.sqrt(3) * e[i];
    for (let j = 0; j < D; j++) y += wStar[j] * xs[i * D + j];
    return y;
  }));
  const vars = { w: tf.variable(tf.zeros([D + 1]), true) };
  const awn = new AdaptiveWeightNoise(vars, S);
  const opt = new RmsProp({ decay: 0.95, momentum: 0.9, learningRate: 3e-3, epsilon: 1e-4 });
  for (let step = 0; step < 4000; step++) {
    const rows = tf.tensor1d(Int32Array.from({ length: B * n }, (_, i) => ((step * B) % S) * n + i), "int32");
    // per-sequence −log p(y | w) (up to a constant), averaged over the B sequences of the batch
    trainStep(
      vars,
      (p) =>
        tf.tidy(() => {
          const r = tf.sub(
            tf.gather(Y, rows),
            tf.squeeze(tf.matMul(tf.gather(X, rows), tf.reshape(p.w, [D + 1, 1])), [1]),
          );
          return tf.div(tf.sum(tf.square(r)), 2 * noise * noise * B) as tf.Scalar;
        }),
      opt,
      { std: 0, seed: step, adaptive: awn },
    );
    rows.dispose();
  }
  const mu = Array.from(vars.w.dataSync()),
    sigma = Array.from(tf.tidy(() => tf.exp(awn.logSigma.w).dataSync()));
  const muP = mu.reduce((a, v) => a + v, 0) / (D + 1);
  const priorStd = Math.sqrt(mu.reduce((a, v, j) => a + sigma[j] ** 2 + (v - muP) ** 2, 0) / (D + 1));
  for (let j = 0; j < D; j++) {
    let sumX2 = 0;
    for (let i = 0; i < S * n; i++) sumX2 += xs[i * D + j] ** 2;
    const posterior = 1 / Math.sqrt(sumX2 / noise ** 2 + 1 / priorStd ** 2); // mean-field optimum: 1/√Λ_jj
    assert.ok(Math.abs(mu[j] - wStar[j]) < 0.1, `μ_${j} = ${mu[j]}, w* ${wStar[j]}`);
    assert.ok(
      sigma[j] > posterior / 1.5 && sigma[j] < posterior * 1.5,
      `σ_${j} = ${sigma[j]}, posterior ${posterior}`,
    );
  }
  assert.ok(sigma[D] > priorStd / 2, `unused weight: σ = ${sigma[D]}, prior ${priorStd}`);
  awn.dispose();
  tf.dispose([vars.w, X, Y, ...Object.values(opt.slots())]);
});

Deno.test("AWN: log σ by an RMSProp of its own moves where the paper's ℸ holds it; slots keep their names", () => {
  // a gradient of 1e-5 (the complexity term's size, 1/S a step) on a weight and on its log σ
  const vars = () => ({
    w: tf.variable(tf.zeros([3]), true),
    [`${AWN_PREFIX}w`]: tf.variable(tf.zeros([3]), true),
  });
  const grads = () => ({ w: tf.fill([3], 1e-5), [`${AWN_PREFIX}w`]: tf.fill([3], 1e-5) });
  const moved = (opt: ReturnType<typeof sigmaOptimizer>) => {
    const v = vars(), g = grads();
    for (let i = 0; i < 10; i++) opt.apply(v, g);
    const out = [Math.abs(v.w.dataSync()[0]), Math.abs(v[`${AWN_PREFIX}w`].dataSync()[0])];
    tf.dispose([...Object.values(v), ...Object.values(g), ...Object.values(opt.slots())]);
    return out;
  };
  const same = new RmsProp(RMSPROP_PAPER);
  assert.equal(sigmaOptimizer(same, {}), same, "no settings: the network's optimiser for all");
  const [w0, s0] = moved(same);
  const split = sigmaOptimizer(new RmsProp(RMSPROP_PAPER), { learningRate: 1e-2, epsilon: 1e-8 });
  assert.ok(split instanceof PrefixSplit);
  const slotNames = (() => {
    const v = vars(), g = grads();
    split.apply(v, g);
    const names = Object.keys(split.slots()).sort();
    const fresh = sigmaOptimizer(new RmsProp(RMSPROP_PAPER), { learningRate: 1e-2 }) as PrefixSplit;
    fresh.loadSlots(split.slots());
    assert.deepEqual(Object.keys(fresh.other.slots()).sort(), names.filter((k) => k.includes(AWN_PREFIX)));
    assert.deepEqual(Object.keys(fresh.main.slots()).sort(), names.filter((k) => !k.includes(AWN_PREFIX)));
    tf.dispose([
      ...Object.values(v),
      ...Object.values(g),
      ...Object.values(split.slots()),
      ...Object.values(fresh.slots()),
    ]);
    return names;
  })();
  assert.deepEqual(slotNames, ["delta/awn/w", "delta/w", "g/awn/w", "g/w", "n/awn/w", "n/w"]);
  const [w1, s1] = moved(sigmaOptimizer(new RmsProp(RMSPROP_PAPER), { learningRate: 1e-2, epsilon: 1e-8 }));
  assert.ok(s0 < 1e-5, `the paper's ℸ: log σ moved ${s0} in 10 steps`);
  assert.ok(s1 > 1e-2, `its own RMSProp: log σ moved ${s1} in 10 steps`);
  assertClose([w1], [w0], { rtol: 1e-6, what: "the weights as before" });
  assert.throws(() => sigmaOptimizer(new SgdMomentum(1e-4, 0.9), { learningRate: 1e-2 }), /needs RMSProp/);
});
