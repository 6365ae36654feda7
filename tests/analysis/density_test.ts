/** The density map integrates to one unit of probability per predicted step; weights over time transpose π. */
import assert from "node:assert/strict";
import {
  densityMap,
  meanLogDensity,
  type MixtureTrace,
  weightsOverTime,
  wordSpans,
} from "../../lib/analysis/density.ts";

function trace(T: number): MixtureTrace {
  const M = 2, f = (v: number) => new Float32Array(T * M).fill(v);
  const pi = new Float32Array(T * M).map((_, i) => (i % 2 ? 0.25 : 0.75));
  return {
    T,
    M,
    pi,
    mu1: f(1),
    mu2: f(0),
    sigma1: f(0.3),
    sigma2: f(0.4),
    rho: f(0.2),
    e: new Float32Array(T),
  };
}

Deno.test("density map: each step's mixture contributes ≈ 1 to the integral over a covering grid", () => {
  const n = 30, points = new Float32Array(3 * n);
  for (let i = 1; i < n; i++) points[3 * i] = 1; // a straight line, one unit per step (normalised)
  const stats = { mean: [0, 0] as [number, number], std: [10, 10] as [number, number], count: 1 };
  const { grid, strokes } = densityMap(trace(n - 1), points, stats, { nx: 400, margin: 0.5 });
  let mass = 0;
  for (let i = 0; i < grid.values.length; i++) mass += grid.values[i] * grid.dx! * grid.dy!;
  assert.ok(Math.abs(mass - (n - 1)) < 0.03 * (n - 1), `mass ${mass}, expected ≈ ${n - 1}`);
  assert.equal(strokes.length, 1);
  assert.equal(strokes[0].x.length, n);
});

Deno.test("mixture weights over time: components become rows", () => {
  const g = weightsOverTime(trace(3));
  assert.equal(g.rows, 2);
  assert.equal(g.cols, 3);
  assert.deepEqual(Array.from(g.values), [0.75, 0.75, 0.75, 0.25, 0.25, 0.25]);
});

Deno.test("density map over a word's points only: its predictions, its extent", () => {
  const n = 30, points = new Float32Array(3 * n);
  for (let i = 1; i < n; i++) points[3 * i] = 1;
  const stats = { mean: [0, 0] as [number, number], std: [10, 10] as [number, number], count: 1 };
  const { grid, strokes } = densityMap(trace(n - 1), points, stats, {
    nx: 400,
    margin: 0.5,
    from: 10,
    to: 20,
  });
  let mass = 0;
  for (let i = 0; i < grid.values.length; i++) mass += grid.values[i] * grid.dx! * grid.dy!;
  assert.ok(Math.abs(mass - 9) < 0.3, `mass ${mass}, expected ≈ 9 (steps 10..18)`);
  assert.deepEqual([strokes[0].x[0], strokes[0].x.at(-1)], [100, 190], "the word's own points, in place");
});

Deno.test("word spans: a pen lift inside a word stays in it, a gap of ≥ 0.3 line heights starts a new one", () => {
  const stats = { mean: [0, 0] as [number, number], std: [1, 1] as [number, number], count: 1 };
  // stroke A: (0,0)→(10,10); stroke B jumps back (a t-cross) to (5,5)→(12,5); stroke C after a gap of 8
  const pts = [[0, 0, 0], [10, 10, 1], [-5, -5, 0], [7, 0, 1], [8, 0, 0], [5, 0, 1]];
  const spans = wordSpans(Float32Array.from(pts.flat()), stats);
  assert.deepEqual(spans, [[0, 4], [4, 6]]);
});

Deno.test("mean log density: a standard Gaussian at the real offset gives −log 2π", () => {
  const t = { ...trace(1), M: 1, pi: Float32Array.of(1), mu1: Float32Array.of(0), mu2: Float32Array.of(0) };
  const one = { ...t, sigma1: Float32Array.of(1), sigma2: Float32Array.of(1), rho: Float32Array.of(0) };
  assert.ok(Math.abs(meanLogDensity(one, new Float32Array(6)) + Math.log(2 * Math.PI)) < 1e-6);
});
