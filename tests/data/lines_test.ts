/**
 * lib/data/lines.ts: line batches, seeded, each line once per epoch, dequantised within ±h.
 */
import assert from "node:assert/strict";
import { useProjectBackend } from "../helpers/tf.ts";
import { LineBatcher } from "../../lib/data/lines.ts";

await useProjectBackend();

Deno.test("line batches: every line at most once per epoch, similar lengths together, seeded", () => {
  const lines = Array.from(
    { length: 200 },
    (_, i) => ({ points: new Float32Array(3 * (10 + ((i * 37) % 90))), n: 10 + ((i * 37) % 90) }),
  );
  const a = new LineBatcher(lines, 4, 10, 7), b = new LineBatcher(lines, 4, 10, 7);
  const seen = new Set<number>();
  for (let k = 0; k < a.batches; k++) for (const i of a.members(0, k)) seen.add(i);
  assert.equal(seen.size, a.batches * 4);
  assert.deepEqual(a.members(1, 3), b.members(1, 3));
  assert.notDeepEqual(a.members(0, 0), a.members(1, 0));
  assert.ok(a.fill(0) > 0.85, `fill ${a.fill(0)}`);
});

Deno.test("dequantised line batches: offsets within ±h of the data, null point and pen lifts kept, the same draw on resume", () => {
  const n = 60;
  const lines = Array.from({ length: 8 }, (_, i) => {
    const points = new Float32Array(3 * n);
    for (let t = 1; t < n; t++) points.set([(t % 7) - 3, i - 4, t % 10 === 0 ? 1 : 0], 3 * t);
    return { points, n };
  });
  const h = { x: 0.02, y: 0.05 };
  const plain = new LineBatcher(lines, 4, 20, 3), noisy = new LineBatcher(lines, 4, 20, 3, h);
  const again = new LineBatcher(lines, 4, 20, 3, h);
  const a = plain.segment(2, 1, 1), b = noisy.segment(2, 1, 1);
  let moved = 0, sum = 0;
  for (let k = 0; k < a.target.length; k += 3) {
    const dx = b.target[k] - a.target[k], dy = b.target[k + 1] - a.target[k + 1];
    assert.ok(Math.abs(dx) <= h.x && Math.abs(dy) <= h.y, `offset ${k / 3} moved by ${dx}, ${dy}`);
    assert.equal(b.target[k + 2], a.target[k + 2], "end-of-stroke is not noised");
    if (dx !== 0) moved++;
    sum += dx;
  }
  assert.ok(moved > 0.9 * a.points, `${moved} of ${a.points} targets noised`);
  assert.ok(Math.abs(sum / moved) < 0.2 * h.x, "zero-mean noise");
  assert.deepEqual(
    noisy.segment(2, 1, 0).x.subarray(0, 3),
    new Float32Array(3),
    "the null first input stays null",
  );
  assert.deepEqual(again.segment(2, 1, 1).target, b.target, "seeded per line and epoch");
  // the input at step t + 1 is the (same) noised target of step t
  assert.deepEqual(b.x.subarray(3 * 4, 3 * 4 + 3), b.target.subarray(0, 3));
  assert.notDeepEqual(noisy.segment(3, 1, 1).target, b.target, "a new draw each epoch");
});
