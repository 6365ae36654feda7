/**
 * Mixture density output (eqs 17-26) and soft window (eqs 46-51): the
 * log-likelihood against a direct float64 evaluation, gradients against finite
 * differences, properties of the split, the bias, and the stopping rule.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import {
  mdnNegLogLik,
  mixtureMean,
  mixtureRows,
  readMixture,
  sampleMixture,
  splitMixture,
} from "../../lib/nn/mdn.ts";
import { windowPastEnd, windowStep, windowWeights } from "../../lib/nn/window.ts";
import { assertClose, randomArray, useProjectBackend } from "../helpers/tf.ts";
import { Rng } from "../../lib/util/rng.ts";

await useProjectBackend();
const M = 3, N = 4;

function yHatAndTarget(seed: number) {
  const y = randomArray(N * (1 + 6 * M), seed);
  const target = randomArray(N * 3, seed + 1).map((v, i) => (i % 3 === 2 ? (v > 0 ? 1 : 0) : v * 2));
  return { y, target };
}

/** eqs 18-26 in float64, straight from the paper. */
function nllFloat64(y: Float32Array, target: Float32Array): number[] {
  const W = 1 + 6 * M, out: number[] = [];
  for (let n = 0; n < N; n++) {
    const r = (k: number) => y[n * W + k];
    const e = 1 / (1 + Math.exp(r(0)));
    const piHat = Array.from({ length: M }, (_, j) => r(1 + j));
    const mx = Math.max(...piHat), z = piHat.reduce((s, v) => s + Math.exp(v - mx), 0);
    const [x1, x2, x3] = [target[3 * n], target[3 * n + 1], target[3 * n + 2]];
    let p = 0;
    for (let j = 0; j < M; j++) {
      const pi = Math.exp(piHat[j] - mx) / z;
      const mu1 = r(1 + M + j),
        mu2 = r(1 + 2 * M + j),
        s1 = Math.exp(r(1 + 3 * M + j)),
        s2 = Math.exp(r(1 + 4 * M + j));
      const rho = Math.tanh(r(1 + 5 * M + j));
      const Z = ((x1 - mu1) / s1) ** 2 + ((x2 - mu2) / s2) ** 2 -
        (2 * rho * (x1 - mu1) * (x2 - mu2)) / (s1 * s2);
      p += (pi * Math.exp(-Z / (2 * (1 - rho * rho)))) / (2 * Math.PI * s1 * s2 * Math.sqrt(1 - rho * rho));
    }
    out.push(-Math.log(p) - Math.log(x3 === 1 ? e : 1 - e));
  }
  return out;
}

Deno.test("MDN: −log Pr matches a direct float64 evaluation of eqs 18-26", () => {
  const { y, target } = yHatAndTarget(1);
  const got = tf.tidy(() =>
    mdnNegLogLik(splitMixture(tf.tensor2d(y, [N, 1 + 6 * M])), tf.tensor2d(target, [N, 3])).dataSync().slice()
  );
  assertClose(got, nllFloat64(y, target), { atol: 1e-4, rtol: 1e-5, what: "nll" });
});

Deno.test("MDN: stays finite for far-off targets and extreme correlations (log-sum-exp, clamped ρ)", () => {
  const { y } = yHatAndTarget(2);
  const W = 1 + 6 * M;
  for (let n = 0; n < N; n++) for (let j = 0; j < M; j++) y[n * W + 1 + 5 * M + j] = 50; // ρ̂ → ρ = 1 without clamping
  const far = new Float32Array(N * 3).map((_, i) => (i % 3 === 2 ? 0 : 1e3));
  const nll = tf.tidy(() =>
    mdnNegLogLik(splitMixture(tf.tensor2d(y, [N, W])), tf.tensor2d(far, [N, 3])).dataSync()
  );
  assert.ok(nll.every(Number.isFinite), `non-finite: ${nll}`);
});

Deno.test("MDN: gradients with respect to ŷ match finite differences", () => {
  const { y, target } = yHatAndTarget(3);
  const W = 1 + 6 * M;
  const f = (v: Float32Array) =>
    tf.tidy(() =>
      tf.sum(mdnNegLogLik(splitMixture(tf.tensor2d(v, [N, W])), tf.tensor2d(target, [N, 3]))).dataSync()[0]
    );
  const g = tf.tidy(() =>
    tf.grad((t: tf.Tensor) => tf.sum(mdnNegLogLik(splitMixture(t), tf.tensor2d(target, [N, 3]))))(
      tf.tensor2d(y, [N, W]),
    ).dataSync().slice()
  );
  const eps = 1e-2;
  for (let k = 0; k < W; k++) {
    const a = y.slice(), b = y.slice();
    a[k] += eps;
    b[k] -= eps;
    const num = (f(a) - f(b)) / (2 * eps);
    assert.ok(
      Math.abs(num - g[k]) < 5e-3 + 2e-2 * Math.abs(num),
      `dŷ[${k}]: numeric ${num}, analytic ${g[k]}`,
    );
  }
});

Deno.test("MDN split: π sums to 1, |ρ| < 1, σ > 0; bias sharpens π and shrinks σ", () => {
  const { y } = yHatAndTarget(4);
  tf.tidy(() => {
    const yh = tf.tensor2d(y, [N, 1 + 6 * M]);
    const m0 = splitMixture(yh), m2 = splitMixture(yh, 2);
    assertClose(tf.sum(tf.exp(m0.logPi), 1).dataSync(), new Float32Array(N).fill(1), { what: "Σπ" });
    assert.ok(m0.rho.dataSync().every((r) => Math.abs(r) < 1));
    assertClose(tf.sub(m0.logSigma1, m2.logSigma1).dataSync(), new Float32Array(N * M).fill(2), {
      what: "σ bias",
    });
    const maxPi = (m: typeof m0) => tf.max(tf.exp(m.logPi), 1).dataSync();
    const a = maxPi(m0), b = maxPi(m2);
    for (let n = 0; n < N; n++) assert.ok(b[n] >= a[n] - 1e-6, "bias did not sharpen π");
    assert.equal(mixtureMean(m0).shape.join(), `${N},2`);
  });
});

Deno.test("MDN: mixtureRows (one ŷ in plain JS, the sampler's path) equals readMixture(splitMixture) for b = 0, 0.5, 2", () => {
  const M = 5, yHat = randomArray(1 + 6 * M, 21).map((v) => 4 * v);
  for (const bias of [0, 0.5, 2]) {
    const want = tf.tidy(() => readMixture(splitMixture(tf.tensor2d(yHat, [1, 1 + 6 * M]), bias)).all);
    assertClose(mixtureRows(yHat, M, bias).all, want, { atol: 1e-5, what: `rows, b = ${bias}` });
  }
  // weightBias 0: π as unbiased, σ (and the rest) as biased.
  const W = 1 + 6 * M, sigmaOnly = mixtureRows(yHat, M, 2, 0).all;
  const plain = mixtureRows(yHat, M, 0).all, biased = mixtureRows(yHat, M, 2).all;
  assertClose(sigmaOnly.subarray(1, 1 + M), plain.subarray(1, 1 + M), { what: "π unbiased" });
  assertClose(sigmaOnly.subarray(1 + M, W), biased.subarray(1 + M, W), { what: "μ, σ, ρ biased" });
  assert.notDeepEqual(sigmaOnly.subarray(1, 1 + M), biased.subarray(1, 1 + M));
  const want = tf.tidy(() => readMixture(splitMixture(tf.tensor2d(yHat, [1, W]), 2, 0)).all);
  assertClose(sigmaOnly, want, { atol: 1e-5, what: "splitMixture with weightBias 0" });
});

Deno.test("MDN sampling: the empirical mean approaches the mixture mean", () => {
  const y = new Float32Array(1 + 6 * 2);
  y.set([0, 0, 0, 1, -1, 2, 3, -3, -3, -3, -3, 0, 0]); // two equal components at (1, 2) and (−1, 3), small σ
  const rng = new Rng(3);
  let sx = 0, sy = 0;
  const K = 4000;
  tf.tidy(() => {
    const mix = splitMixture(tf.tensor2d(y, [1, 13]));
    for (let i = 0; i < K; i++) {
      const p = sampleMixture(mix, () => rng.next());
      sx += p[0];
      sy += p[1];
    }
  });
  assert.ok(Math.abs(sx / K - 0) < 0.05 && Math.abs(sy / K - 2.5) < 0.05, `mean (${sx / K}, ${sy / K})`);
});

Deno.test("window: φ matches eq 46 in float64; gradients match finite differences", () => {
  const B = 2, K = 2, U = 5, V = 3;
  const p = randomArray(B * 3 * K, 5), k0 = randomArray(B * K, 6).map((v) => Math.abs(v) * 2);
  const chars = randomArray(B * U * V, 7);
  tf.tidy(() => {
    const s = windowStep(tf.tensor2d(p, [B, 3 * K]), tf.tensor2d(k0, [B, K]), tf.tensor3d(chars, [B, U, V]));
    const phi = s.phi.dataSync();
    for (let b = 0; b < B; b++) {
      for (let u = 1; u <= U; u++) {
        let want = 0;
        for (let k = 0; k < K; k++) {
          const a = Math.exp(p[b * 3 * K + k]), be = Math.exp(p[b * 3 * K + K + k]);
          const kap = k0[b * K + k] + Math.exp(p[b * 3 * K + 2 * K + k]);
          want += a * Math.exp(-be * (kap - u) ** 2);
        }
        assert.ok(Math.abs(phi[b * U + u - 1] - want) < 1e-4 * (1 + want), `φ(${b}, ${u})`);
      }
    }
    const R = tf.tensor2d(randomArray(B * V, 8), [B, V]);
    const loss = (v: Float32Array) =>
      tf.tidy(() =>
        tf.sum(
          tf.mul(
            windowStep(tf.tensor2d(v, [B, 3 * K]), tf.tensor2d(k0, [B, K]), tf.tensor3d(chars, [B, U, V])).w,
            R,
          ),
        ).dataSync()[0]
      );
    const g = tf.grad((t: tf.Tensor) =>
      tf.sum(tf.mul(windowStep(t, tf.tensor2d(k0, [B, K]), tf.tensor3d(chars, [B, U, V])).w, R))
    )(tf.tensor2d(p, [B, 3 * K])).dataSync();
    for (let i = 0; i < p.length; i++) {
      const a = p.slice(), b = p.slice();
      a[i] += 1e-2;
      b[i] -= 1e-2;
      const num = (loss(a) - loss(b)) / 2e-2;
      assert.ok(
        Math.abs(num - g[i]) < 2e-3 + 2e-2 * Math.abs(num),
        `dp[${i}]: numeric ${num}, analytic ${g[i]}`,
      );
    }
  });
});

Deno.test("window stopping rule: fires only once κ has moved past the last character", () => {
  tf.tidy(() => {
    const a = tf.tensor2d([[1]]), b = tf.tensor2d([[1]]);
    assert.equal(windowPastEnd(a, b, tf.tensor2d([[2]]), 5), false);
    assert.equal(windowPastEnd(a, b, tf.tensor2d([[5.2]]), 5), false);
    assert.equal(windowPastEnd(a, b, tf.tensor2d([[6.5]]), 5), true);
    assert.equal(windowWeights(a, b, tf.tensor2d([[1]]), 3).shape.join(), "1,3");
  });
});
