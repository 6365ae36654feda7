/**
 * lib/runs/checkpoint.ts: atomic writes, float16 export, which checkpoints are kept.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import {
  loadCheckpoint,
  readCheckpointMeta,
  saveCheckpoint,
  toFloat16Bits,
} from "../../lib/runs/checkpoint.ts";

await useProjectBackend();

Deno.test("checkpoints: atomic latest pointer, float16 export within half precision", async () => {
  const dir = await Deno.makeTempDir();
  assert.deepEqual([...toFloat16Bits(Float32Array.from([1, -2, 65504, 1e-8, 0.1]))], [
    0x3c00,
    0xc000,
    0x7bff,
    0,
    0x2e66,
  ]);
  const t = { "param/w": tf.tensor2d([[0.1, -0.25], [3.5, 1e-3]]), "state/h0": tf.tensor1d([0.3]) };
  await saveCheckpoint(dir, 7, t, { note: "x" }, { float16: true });
  await saveCheckpoint(dir, 8, t, { note: "y" }, { float16: true });
  await saveCheckpoint(dir, 9, t, { note: "z" }, { float16: true });
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
    "latest.json",
    "step-00000008",
    "step-00000009",
  ]);
  const ck = await loadCheckpoint(dir);
  assert.equal(ck.meta.note, "z");
  const w = ck.tensors["param/w"].dataSync();
  [0.1, -0.25, 3.5, 1e-3].forEach((v, i) =>
    assert.ok(Math.abs(w[i] - v) <= 1e-3 * Math.abs(v) + 1e-7, `${w[i]} vs ${v}`)
  );
  assert.deepEqual([...ck.tensors["state/h0"].dataSync()], [Math.fround(0.3)]); // state stays float32
  tf.dispose([...Object.values(t), ...Object.values(ck.tensors)]);
});

Deno.test("checkpoints: keepEvery keeps the snapshots at its multiples besides the newest two", async () => {
  const dir = await Deno.makeTempDir();
  const t = { "param/w": tf.tensor1d([1, 2]) };
  for (let step = 1; step <= 8; step++) await saveCheckpoint(dir, step, t, {}, { keepEvery: 3 });
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
    "latest.json",
    "step-00000003",
    "step-00000006",
    "step-00000007",
    "step-00000008",
  ]);
  tf.dispose(Object.values(t));
});

Deno.test("checkpoints: the one just written stays even when its step is below the others (ship, keep 1)", async () => {
  const dir = await Deno.makeTempDir();
  const t = { "param/w": tf.tensor1d([1, 2]) };
  await saveCheckpoint(dir, 13, t, {}, { keep: 1 });
  await saveCheckpoint(dir, 6, t, {}, { keep: 1 });
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["latest.json", "step-00000006"]);
  assert.equal(readCheckpointMeta(dir).step, 6);
  tf.dispose(Object.values(t));
});
