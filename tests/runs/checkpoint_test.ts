/**
 * lib/runs/checkpoint.ts: atomic writes, float16 export, which checkpoints are kept; a checkpoint
 * proves its own integrity (damaged, truncated or garbage files named, the newest intact earlier
 * one offered and loaded only when asked); non-finite tensors are never written; leftovers of
 * killed writes are removed.
 */
import assert from "node:assert/strict";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { join } from "node:path";
import {
  DamagedCheckpointError,
  loadCheckpoint,
  manifestDigest,
  readCheckpointMeta,
  recoverFolder,
  saveCheckpoint,
  sealCheckpoint,
  sha256,
  toFloat16Bits,
} from "../../lib/runs/checkpoint.ts";
import { shipCheckpoint } from "../../lib/runs/ship.ts";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";

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

/** A run folder with checkpoints at steps 1, 2 and 3 (all kept) of a 4-weight tensor w = step. */
async function threeSteps(): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const step of [1, 2, 3]) {
    const t = { "param/w": tf.fill([4], step) };
    await saveCheckpoint(dir, step, t, { step }, { keep: 3 });
    tf.dispose(Object.values(t));
  }
  return dir;
}

const weightsOf = (dir: string, step: number) =>
  join(dir, `step-${String(step).padStart(8, "0")}`, "weights.bin");

Deno.test("integrity: a same-size corruption, a truncation, garbage JSON: each names its file and the newest intact step", async () => {
  const dir = await threeSteps();
  const bin = Deno.readFileSync(weightsOf(dir, 3));
  bin[5] ^= 0xff; // same size, one byte flipped: only the checksum sees it
  Deno.writeFileSync(weightsOf(dir, 3), bin);
  await assert.rejects(
    () => loadCheckpoint(dir),
    (e: unknown) =>
      e instanceof DamagedCheckpointError &&
      /step-00000003\/weights\.bin: its SHA-256 differs/.test(e.message) &&
      /newest intact checkpoint is .*step-00000002/.test(e.message),
  );
  // --resume=last-good: the newest intact earlier one, and which was skipped
  const good = await loadCheckpoint(dir, { lastGood: true });
  assert.equal(good.step, 2);
  assert.match(good.fellBackFrom!, /step-00000003$/);
  assert.deepEqual([...good.tensors["param/w"].dataSync()], [2, 2, 2, 2]);
  tf.dispose(Object.values(good.tensors));
  // truncated too: the next one back
  Deno.writeFileSync(weightsOf(dir, 2), Deno.readFileSync(weightsOf(dir, 2)).subarray(0, 7));
  await assert.rejects(
    () => loadCheckpoint(join(dir, "step-00000002")),
    /weights\.bin: 7 bytes, the manifest's weights need 16 \(truncated\?\)/,
  );
  assert.equal((await loadCheckpoint(dir, { lastGood: true })).step, 1);
  // garbage JSON names its file
  Deno.writeTextFileSync(join(dir, "step-00000001", "model.json"), "{ not json");
  assert.throws(
    () => readCheckpointMeta(join(dir, "step-00000001")),
    /step-00000001\/model\.json: not valid JSON/,
  );
  await assert.rejects(() => loadCheckpoint(dir, { lastGood: true }), /no intact earlier checkpoint/);
});

Deno.test("integrity: a tensor with a NaN or an infinity is never written; leftovers of killed writes are removed", async () => {
  const dir = await Deno.makeTempDir();
  for (const bad of [NaN, Infinity]) {
    const t = { "param/w": tf.tensor1d([1, bad]) };
    await assert.rejects(
      () => saveCheckpoint(dir, 7, t, {}),
      new RegExp(`not writing a checkpoint: param/w\\[1\\] is ${bad}`),
    );
    tf.dispose(Object.values(t));
  }
  assert.deepEqual([...Deno.readDirSync(dir)], [], "nothing written, not even a temporary folder");
  Deno.mkdirSync(join(dir, ".step-00000009.tmp-123"));
  Deno.writeTextFileSync(join(dir, ".latest.json.tmp-123"), "{");
  Deno.mkdirSync(join(dir, "step-00000004"));
  assert.deepEqual(recoverFolder(dir), ["removed 2 leftover(s) of killed writes"]);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["step-00000004"], "only leftovers go");
});

Deno.test("deno task ship refuses a checkpoint with a non-finite weight (written by hand, past the writer's check)", async () => {
  const run = await Deno.makeTempDir(), shipped = join(await Deno.makeTempDir(), "shipped");
  const t = { "param/w": tf.tensor1d([1, 2]) };
  const path = await saveCheckpoint(run, 5, t, {});
  tf.dispose(Object.values(t));
  const bin = new Uint8Array(new Float32Array([1, NaN]).buffer);
  Deno.writeFileSync(join(path, "weights.bin"), bin);
  const manifest = JSON.parse(Deno.readTextFileSync(join(path, "model.json")));
  manifest.integrity["weights.bin"].sha256 = await sha256(bin); // a consistent, but poisoned, checkpoint
  manifest.integrity.manifest = await manifestDigest(manifest);
  Deno.writeTextFileSync(join(path, "model.json"), JSON.stringify(manifest));
  await assert.rejects(() => shipCheckpoint(run, shipped), /not writing a checkpoint: param\/w\[1\] is NaN/);
  assert.ok(!exists(join(shipped, "latest.json")), "nothing shipped");
});

Deno.test("integrity: an older checkpoint is sealed with its checksum (weights untouched); the shipped ones carry theirs", async () => {
  const dir = await Deno.makeTempDir();
  const t = { "param/w": tf.tensor1d([3, 4]) };
  const path = await saveCheckpoint(dir, 2, t, { note: "kept" });
  tf.dispose(Object.values(t));
  const manifest = JSON.parse(Deno.readTextFileSync(join(path, "model.json")));
  const want = manifest.integrity["weights.bin"].sha256;
  delete manifest.integrity; // as written before checksums were recorded
  Deno.writeTextFileSync(join(path, "model.json"), JSON.stringify(manifest, null, 1));
  assert.equal(await sealCheckpoint(dir), want);
  const sealed = JSON.parse(Deno.readTextFileSync(join(path, "model.json")));
  assert.deepEqual(sealed.integrity, {
    "weights.bin": { bytes: 8, sha256: want },
    manifest: await manifestDigest(sealed),
  });
  assert.equal(sealed.meta.note, "kept");
  for (const name of ["ptb", "wikipedia", "handwriting", "synthesis"]) {
    const { path } = readCheckpointMeta(join(PROJECT_ROOT, "results", "checkpoints", name));
    const m = JSON.parse(Deno.readTextFileSync(join(path, "model.json")));
    assert.equal(
      m.integrity["weights.bin"].sha256,
      await sha256(Deno.readFileSync(join(path, "weights.bin"))),
      name,
    );
    assert.equal(m.integrity.manifest, await manifestDigest(m), `${name}: the manifest is sealed too`);
  }
});
