/**
 * Adapting the writer to a drawn hand (`lib/experiments/adapt.ts`): the
 * adapted copy fits the drawn line better step by step, the original network
 * is untouched, nothing leaks; the shear sets a slant as `slant` measures it.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { initBackend } from "../../lib/backend.ts";
import {
  adaptToHand,
  shearToSlant,
  slant,
  SLANT_TOLERANCE,
  slantToward,
} from "../../lib/experiments/adapt.ts";
import { disposeWriter } from "../../lib/experiments/write.ts";
import { SYNTHESIS_TINY, synthesisSpecs } from "../../lib/models/synthesis.ts";
import { PAPER_CHARSET } from "../../lib/data/iamondb/charset.ts";
import { initParams } from "../../lib/nn/params.ts";
import type { Stroke } from "../../lib/data/iamondb/strokes.ts";

await initBackend();

Deno.test("adapt: the copy's loss on the drawn line falls; the network itself is untouched; nothing leaks", () => {
  const c = { ...SYNTHESIS_TINY, charClasses: PAPER_CHARSET.size };
  const params = initParams(synthesisSpecs(c), 3);
  const w = {
    params,
    config: c,
    stats: { mean: [0, 0] as [number, number], std: [1, 1] as [number, number], count: 1 },
    charset: PAPER_CHARSET,
  };
  const n = 40, points = new Float32Array(3 * n);
  for (let i = 1; i < n; i++) {
    [points[3 * i], points[3 * i + 1], points[3 * i + 2]] = [
      Math.cos(i / 3),
      Math.sin(i / 3),
      i % 10 === 9 ? 1 : 0,
    ];
  }
  const before = Array.from(params["lstm1.Wx"].dataSync());
  const tensors = tf.memory().numTensors;
  const { net, losses } = adaptToHand(w, { points, n, text: "hello" }, { steps: 6, learningRate: 1e-2 });
  assert.equal(losses.length, 6);
  assert.ok(losses.at(-1)! < losses[0], `loss ${losses[0]} → ${losses.at(-1)}`);
  assert.deepEqual(Array.from(params["lstm1.Wx"].dataSync()), before, "the network itself is untouched");
  assert.notDeepEqual(Array.from(net.params["lstm1.Wx"].dataSync()), before, "the copy moved");
  disposeWriter(net);
  assert.equal(tf.memory().numTensors - tensors, 0, "no tensor left behind");
  assert.throws(() => adaptToHand(w, { points, n: 2, text: "x" }), /fewer than three pen points/);
  tf.dispose(Object.values(params));
});

Deno.test("shearToSlant: shearing upright strokes by 0.2 rad gives them a slant of 0.2 (right-leaning)", () => {
  const upright: Stroke[] = [0, 30, 60].map((x0) => ({ x: [x0, x0], y: [0, 100] }));
  assert.ok(Math.abs(slant(upright)) < 1e-9);
  const leaned = shearToSlant(upright, 0.2);
  assert.ok(Math.abs(slant(leaned) - 0.2) < 0.01, `${slant(leaned)}`);
  assert.ok(leaned[0].x[0] > leaned[0].x[1], "y down: the top of a right-leaning stroke is further right");
});

Deno.test("slantToward: within the tolerance nothing moves; beyond it, sheared to the tolerance's edge", () => {
  const upright: Stroke[] = [0, 30, 60].map((x0) => ({ x: [x0, x0], y: [0, 100] }));
  assert.equal(slantToward(upright, 0.03), upright, "3 mrad short of 0.05: kept as written");
  const followed = slantToward(upright, 0.25);
  assert.ok(Math.abs(slant(followed) - (0.25 - SLANT_TOLERANCE)) < 0.01, `${slant(followed)}`);
  assert.ok(
    Math.abs(slant(slantToward(upright, -0.3)) - (-0.3 + SLANT_TOLERANCE)) < 0.01,
    "left-leaning too",
  );
});
