/**
 * Fault injection beyond training (issue #51): `deno task ship`, `deno task average` and
 * `deno task style` killed inside their writes (GRAVES_FAULT) leave what was there before whole —
 * the shipped checkpoint still loads and passes its checks, no average folder looks complete, the
 * previous style file is untouched — and the next run of the same command succeeds.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { loadCheckpoint, saveCheckpoint } from "../../lib/runs/checkpoint.ts";
import { shipCheckpoint } from "../../lib/runs/ship.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";

await useProjectBackend();

function cli(fault: string | undefined, name: string, ...args: string[]) {
  const r = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "lib", "cli", `${name}.ts`), ...args],
    env: { NO_COLOR: "1", ...(fault ? { GRAVES_FAULT: fault } : {}) },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  return { code: r.code, out: new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr) };
}

async function run(dir: string, steps: number[], v: number) {
  for (const s of steps) {
    const t = { "param/w": tf.tensor1d([v, v + 1]) };
    await saveCheckpoint(dir, s, t, { experiment: "ptb", history: [{ step: s, loss: 1 }] });
    tf.dispose(Object.values(t));
  }
}

const param = async (dir: string) => {
  const ck = await loadCheckpoint(dir);
  const w = [...ck.tensors["param/w"].dataSync()];
  tf.dispose(Object.values(ck.tensors));
  return w;
};

Deno.test("ship killed at each point of its write: the shipped checkpoint before it stays whole; the next ship succeeds", async () => {
  const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
  await run(a, [10], 1);
  await run(b, [20], 5);
  const shipped = join(await Deno.makeTempDir(), "shipped");
  await shipCheckpoint(a, shipped, "ptb");
  for (const fault of ["weights-written:1", "manifest-written:1", "step-renamed:1"]) {
    const r = cli(fault, "ship", "ptb", b, "--to", shipped);
    assert.equal(r.code, 137, r.out);
    const w = await param(shipped); // loads and passes its checks: the old one, or the new one complete
    assert.ok([1, 5].includes(w[0]), `${fault}: ${w}`);
  }
  const ok = cli(undefined, "ship", "ptb", b, "--to", shipped);
  assert.equal(ok.code, 0, ok.out);
  assert.deepEqual(await param(shipped), [5, 6]);
});

Deno.test("average killed inside its write leaves no folder that looks complete; run again, it is written", async () => {
  const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
  await run(a, [10], 1);
  await run(b, [10], 3);
  const out = join(await Deno.makeTempDir(), "avg");
  const r = cli("manifest-written:1", "average", "ptb", "--out", out, a, b);
  assert.equal(r.code, 137, r.out);
  await assert.rejects(() => loadCheckpoint(out), /no checkpoint/);
  const ok = cli(undefined, "average", "ptb", "--out", out, a, b);
  assert.equal(ok.code, 0, ok.out);
  assert.deepEqual(await param(out), [2, 3]);
});

Deno.test("style killed between writing its file and renaming it: the previous style file is untouched", async () => {
  const dir = await Deno.makeTempDir();
  Deno.writeTextFileSync(
    join(dir, "d.json"),
    JSON.stringify([[[0, 0], [10, 5], [20, 0]], [[30, 0], [40, 9]]]),
  );
  const out = join(dir, "style.json");
  Deno.writeTextFileSync(out, "the previous style\n");
  const r = cli("file-written:1", "style", "--from", join(dir, "d.json"), "--text", "hi", "--out", out);
  assert.equal(r.code, 137, r.out);
  assert.equal(Deno.readTextFileSync(out), "the previous style\n");
  const ok = cli(undefined, "style", "--from", join(dir, "d.json"), "--text", "hi", "--out", out);
  assert.equal(ok.code, 0, ok.out);
  assert.match(Deno.readTextFileSync(out), /"graves-style"/);
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
    ["d.json", "style.json"],
    "no leftovers",
  );
});
