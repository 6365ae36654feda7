/** The density map integrates to one unit of probability per predicted step; weights over time transpose π. */
import assert from "node:assert/strict";
import { densityMap, type MixtureTrace, weightsOverTime } from "../../lib/analysis/density.ts";

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
  const { grid, strokes } = densityMap(trace(n - 1), points, stats, 400, 0.5);
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
