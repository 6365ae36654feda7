/**
 * Issue #51: commands refuse what would waste the work or keep nonsense, before the work and
 * with a message naming the file and the reason — the output folder of a long score, empty,
 * space-only or binary text, a style with absurd or missing coordinates, an archive where text
 * belongs, the same checkpoint twice in an average, runs of two experiments compared.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import { saveCheckpoint } from "../../lib/runs/checkpoint.ts";
import { averageCheckpoints } from "../../lib/runs/average.ts";
import { parseStyle } from "../../lib/data/iamondb/style.ts";
import { loadEnwik8 } from "../../lib/data/enwik8.ts";

await useProjectBackend();

/** Runs `deno task <cli> args…` as a user would; its exit code, output and time. */
function cli(name: string, ...args: string[]) {
  const t0 = performance.now();
  const r = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "lib", "cli", `${name}.ts`), ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const out = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
  return { code: r.code, out, seconds: (performance.now() - t0) / 1000 };
}

Deno.test("eval --out into a missing folder is refused before the scoring, naming the folder", async () => {
  const dir = await Deno.makeTempDir();
  const r = cli("eval", "synthesis", "--lines", "select", "--out", join(dir, "missing", "x.json"));
  assert.equal(r.code, 2, r.out);
  assert.match(r.out, /--out .*x\.json: the folder .*missing does not exist/);
  assert.doesNotMatch(r.out, /backend:/, "refused before the backend, the network or the data loaded");
});

Deno.test("write: space-only text, an empty file and a binary file are refused before the network loads", async () => {
  const dir = await Deno.makeTempDir();
  const spaces = cli("write", "   ");
  assert.equal(spaces.code, 2, spaces.out);
  assert.match(spaces.out, /the text: only spaces: nothing to write/);
  Deno.writeTextFileSync(join(dir, "empty.txt"), "");
  const bin = new Uint8Array(3000).map((_, i) => (i * 7919) % 256);
  Deno.writeFileSync(join(dir, "blob.txt"), bin);
  for (
    const [file, why] of [["empty.txt", /empty\.txt: empty: nothing to write/], [
      "blob.txt",
      /blob\.txt: not text/,
    ]]
  ) {
    const r = cli("write", "--file", join(dir, file as string), "--out", join(dir, "l.svg"));
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, why as RegExp);
    const control = [...r.out].filter((c) => c.charCodeAt(0) < 32 && !"\t\n\r".includes(c));
    assert.deepEqual(control, [], "no control bytes echoed to the terminal");
  }
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
    ["blob.txt", "empty.txt"],
    "nothing written",
  );
});

Deno.test("style: --out into a missing folder is refused first; a drawing with a missing coordinate never writes null", async () => {
  const dir = await Deno.makeTempDir();
  Deno.writeTextFileSync(
    join(dir, "d.json"),
    JSON.stringify([[[0, 0], [10, 5], [20, 0]], [[30, 0], [null, 4]]]),
  );
  const out = join(dir, "s.json");
  const missing = cli(
    "style",
    "--from",
    join(dir, "d.json"),
    "--text",
    "hi",
    "--out",
    join(dir, "no", "s.json"),
  );
  assert.equal(missing.code, 2, missing.out);
  assert.match(missing.out, /the folder .*no does not exist/);
  const r = cli("style", "--from", join(dir, "d.json"), "--text", "hi", "--out", out);
  assert.equal(r.code, 0, r.out);
  const written = Deno.readTextFileSync(out);
  assert.doesNotMatch(written, /null/);
  parseStyle(written, out); // what is written is what a writer reads back
  const style = (x: number) =>
    JSON.stringify({ format: "graves-style", version: 1, text: "a", strokes: [{ x: [0, x], y: [0, 1] }] });
  assert.throws(
    () => parseStyle(style(1e308), "s.json"),
    /s\.json: stroke 1 has a coordinate of 1e\+308, beyond ±1,000,000/,
  );
  parseStyle(style(3000), "s.json");
});

Deno.test("an archive where enwik8's text belongs is refused by its content, naming the file", async () => {
  const dir = await Deno.makeTempDir();
  const zip = join(dir, "enwik8");
  Deno.writeFileSync(zip, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0]));
  assert.throws(() => loadEnwik8({ path: zip }), /enwik8: a zip archive, not the text/);
});

Deno.test("average refuses the same checkpoint twice; compare refuses runs of two experiments", async () => {
  const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
  const t = { "param/w": tf.tensor1d([1, 2]) };
  const step = await saveCheckpoint(a, 4, t, { experiment: "ptb", history: [{ step: 1, loss: 2 }] });
  await saveCheckpoint(b, 4, t, { experiment: "synthesis", history: [{ step: 1, loss: 2 }] });
  tf.dispose(Object.values(t));
  const avg = join(await Deno.makeTempDir(), "avg");
  await assert.rejects(
    () => averageCheckpoints([a, step], avg),
    /is the same checkpoint as .*: name each member once/,
  );
  const r = cli("compare", a, b);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /is a ptb run and .* a synthesis one: compare branches of one run/);
});
