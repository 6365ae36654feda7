/**
 * Issue #51, run folders under mistakes and kills: a forgotten `--resume` never restarts a run, a
 * ship never empties a run folder or another experiment's, a re-save killed half-way is restored,
 * the whole manifest is checksummed and its step must agree with its folder and `latest.json`,
 * and a resume under another batch or truncation length is refused by name.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import {
  DamagedCheckpointError,
  loadCheckpoint,
  manifestDigest,
  recoverFolder,
  saveCheckpoint,
} from "../../lib/runs/checkpoint.ts";
import { trainInFolder } from "../../lib/runs/folder.ts";
import { shipCheckpoint } from "../../lib/runs/ship.ts";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";
import { disposeAll, textSetup } from "../helpers/train.ts";

await useProjectBackend();

const w = () => ({ "param/w": tf.tensor1d([1, 2, 3]) });
async function save(dir: string, step: number, meta: Record<string, unknown> = {}) {
  const t = w();
  const path = await saveCheckpoint(dir, step, t, meta);
  tf.dispose(Object.values(t));
  return path;
}

/** Trains the tiny text model in `dir` to `steps`, with `o` (resume, restart, what must match). */
async function tiny(dir: string, steps: number, o: Record<string, unknown> = {}) {
  const s = textSetup();
  try {
    return await trainInFolder({
      vars: s.vars,
      optimizer: s.opt,
      task: s.task,
      totalSteps: steps,
      checkpointEvery: 2,
      checkpointDir: dir,
      ...o,
    });
  } finally {
    disposeAll(s.vars, s.opt.slots(), s.task.stateTensors());
  }
}

Deno.test("a folder that holds a run is refused without --resume, naming its step; --restart starts again, said", async () => {
  const dir = await Deno.makeTempDir();
  await tiny(dir, 6);
  await assert.rejects(() => tiny(dir, 6), /holds a run at step 6: go on with --resume, .*--restart/);
  assert.equal((await loadCheckpoint(dir)).step, 6, "the run is untouched");
  const r = await tiny(dir, 4, { restart: true });
  assert.equal(r.step, 4);
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("step-")).sort(),
    [
      "step-00000002",
      "step-00000004",
    ],
  );
});

Deno.test("a resume under another batch or truncation length is refused by name; older records are not asked", async () => {
  const dir = await Deno.makeTempDir();
  await tiny(dir, 4, { meta: { profile: { batch: 4, steps: 24 } } });
  await assert.rejects(
    () => tiny(dir, 6, { resume: true, sameRunIfRecorded: { "profile.batch": 16, "profile.steps": 24 } }),
    /holds another run: profile\.batch was 4, now 16/,
  );
  await assert.rejects(
    () => tiny(dir, 6, { resume: true, sameRunIfRecorded: { "profile.batch": 4, "profile.steps": 50 } }),
    /profile\.steps was 24, now 50/,
  );
  const r = await tiny(dir, 6, { resume: true, sameRunIfRecorded: { "profile.resetEvery": 3 } });
  assert.equal(r.step, 6, "a key the checkpoint never recorded is not compared");
});

Deno.test("ship writes only into an empty folder or a shipped one of its experiment; snapshots are never removed", async () => {
  const run = await Deno.makeTempDir();
  for (const s of [5, 10, 15]) await save(run, s, { experiment: "ptb" });
  const shipped = join(await Deno.makeTempDir(), "shipped"); // a new folder
  await shipCheckpoint(run, shipped, "ptb");
  await shipCheckpoint(run, shipped, "ptb"); // again into its own shipped folder: fine
  const target = await Deno.makeTempDir(); // a run folder (its newest two steps)
  for (const s of [100, 200, 300]) await save(target, s, { experiment: "synthesis" });
  await assert.rejects(() => shipCheckpoint(run, target, "ptb"), /holds 2 step folders, a run folder/);
  const single = await Deno.makeTempDir();
  await save(single, 7, { experiment: "synthesis" });
  await assert.rejects(
    () => shipCheckpoint(run, single, "ptb"),
    /a training run's checkpoint, not a shipped one/,
  );
  await assert.rejects(
    () => shipCheckpoint(run, join(PROJECT_ROOT, "results", "checkpoints", "synthesis"), "ptb"),
    /holds the shipped synthesis network, not a ptb one/,
  );
  assert.equal([...Deno.readDirSync(target)].filter((e) => e.name.startsWith("step-")).length, 2, "kept");
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "lib", "cli", "ship.ts"), "ptb", run, "--to", target],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  assert.equal(proc.code, 1);
  assert.match(new TextDecoder().decode(proc.stderr), /holds 2 step folders/);
});

Deno.test("the whole manifest is checksummed: an edited step, position or RNG is refused, naming model.json", async () => {
  for (const edit of ["step", "position", "rng"] as const) {
    const dir = await Deno.makeTempDir();
    await save(dir, 4);
    const path = await save(dir, 8, { position: { epoch: 0, batch: 3 }, rng: [1, 2, 3, 4] });
    const file = join(path, "model.json");
    const m = JSON.parse(Deno.readTextFileSync(file));
    if (edit === "step") m.step = 9;
    else if (edit === "position") m.meta.position.batch = 30;
    else m.meta.rng[0] = 7;
    Deno.writeTextFileSync(file, JSON.stringify(m, null, 1));
    await assert.rejects(
      () => loadCheckpoint(dir),
      (e: unknown) =>
        e instanceof DamagedCheckpointError &&
        /model\.json: its SHA-256 differs from the one it records/.test(
          e.message,
        ) && /step-00000004/.test(e.message),
      edit,
    );
  }
});

Deno.test("a step must agree with its folder's name and latest.json; a copy under another name loads by its own step", async () => {
  const dir = await Deno.makeTempDir();
  await save(dir, 4);
  const path = await save(dir, 8);
  Deno.renameSync(path, join(dir, "step-00000009")); // a step folder under another step's name
  await assert.rejects(
    () => loadCheckpoint(join(dir, "step-00000009")),
    /records step 8, but its folder is step-00000009/,
  );
  Deno.renameSync(join(dir, "step-00000009"), path);
  Deno.writeTextFileSync(join(dir, "latest.json"), JSON.stringify({ step: 12, path: "step-00000008" }));
  await assert.rejects(
    () => loadCheckpoint(dir),
    /latest\.json: says step 12 for step-00000008, which records 8/,
  );
  const copy = join(await Deno.makeTempDir(), "my copy"); // a snapshot copied under a name of one's own
  Deno.mkdirSync(copy);
  for (const f of ["model.json", "weights.bin"]) Deno.copyFileSync(join(path, f), join(copy, f));
  const ck = await loadCheckpoint(copy);
  assert.equal(ck.step, 8);
  const shipped = join(await Deno.makeTempDir(), "s");
  await shipCheckpoint(copy, shipped); // named by its manifest's step, not its folder
  assert.ok(exists(join(shipped, "step-00000008")));
  tf.dispose(Object.values(ck.tensors));
});

Deno.test("latest.json naming a missing folder: the error names it and the newest intact step, which last-good loads", async () => {
  const dir = await Deno.makeTempDir();
  await save(dir, 4);
  await save(dir, 8);
  Deno.removeSync(join(dir, "step-00000008"), { recursive: true });
  await assert.rejects(
    () => loadCheckpoint(dir),
    /latest\.json: names step-00000008, which is missing; the newest intact checkpoint is .*step-00000004/,
  );
  const ck = await loadCheckpoint(dir, { lastGood: true });
  assert.equal(ck.step, 4);
  tf.dispose(Object.values(ck.tensors));
});

Deno.test("a re-save killed between moving the old step aside and renaming the new one in is restored at the next start", async () => {
  const dir = await Deno.makeTempDir();
  await save(dir, 4);
  await save(dir, 8);
  const script = `import * as tf from "${PROJECT_ROOT}/lib/tf.ts";
import { saveCheckpoint } from "${PROJECT_ROOT}/lib/runs/checkpoint.ts";
await saveCheckpoint(${JSON.stringify(dir)}, 8, { "param/w": tf.tensor1d([5, 6, 7]) }, { again: true });`;
  const p = new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    env: { NO_COLOR: "1", GRAVES_FAULT: "old-aside:1" },
    stdout: "null",
    stderr: "piped",
  }).outputSync();
  assert.equal(p.code, 137, new TextDecoder().decode(p.stderr));
  assert.ok(!exists(join(dir, "step-00000008")), "killed with the name pointing at nothing");
  assert.deepEqual(recoverFolder(dir), [
    "restored step-00000008 (a re-save of it was cut off)",
    "removed 1 leftover(s) of killed writes",
  ]);
  const ck = await loadCheckpoint(dir);
  assert.deepEqual([...ck.tensors["param/w"].dataSync()], [1, 2, 3], "the old copy, intact");
  tf.dispose(Object.values(ck.tensors));
  const m = JSON.parse(Deno.readTextFileSync(join(dir, "step-00000008", "model.json")));
  assert.equal(m.integrity.manifest, await manifestDigest(m));
});
