/**
 * lib/runs/lock.ts: one writer per run folder. A second writer is refused by name (two trainings
 * on one folder, in one process or two); a lock whose process is gone is taken over.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { hostname } from "node:os";
import { useProjectBackend } from "../helpers/tf.ts";
import { lockRunFolder, RunFolderLockedError } from "../../lib/runs/lock.ts";
import { trainInFolder } from "../../lib/runs/folder.ts";
import { disposeAll, textSetup } from "../helpers/train.ts";

await useProjectBackend();

Deno.test("lock: a second writer is refused, naming the holder; released, the folder is free again", async () => {
  const dir = join(await Deno.makeTempDir(), "run");
  const unlock = lockRunFolder(dir);
  assert.throws(
    () => lockRunFolder(dir),
    (e: unknown) =>
      e instanceof RunFolderLockedError && e.holder.pid === Deno.pid &&
      e.message.includes(`being written by process ${Deno.pid} on ${hostname()}`),
  );
  unlock();
  lockRunFolder(dir)();
  assert.ok(![...Deno.readDirSync(dir)].some((e) => e.name === ".lock"), "released");
});

Deno.test("lock: a stale lock (its process gone) is taken over and said; another host's is respected", () => {
  const dir = Deno.makeTempDirSync();
  const said: string[] = [];
  Deno.writeTextFileSync(
    join(dir, ".lock"),
    JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), since: "x" }),
  );
  lockRunFolder(dir, (s) => said.push(s))();
  assert.match(said[0], /taking over a stale lock of process 4194311 \(gone\)/);
  Deno.writeTextFileSync(join(dir, ".lock"), "{"); // half-written by a writer killed at that moment
  lockRunFolder(dir, (s) => said.push(s))();
  assert.match(said[1], /taking over a stale lock$/);
  Deno.writeTextFileSync(join(dir, ".lock"), JSON.stringify({ pid: 1, host: "elsewhere", since: "x" }));
  assert.throws(() => lockRunFolder(dir), /being written by process 1 on elsewhere/);
});

Deno.test("lock: two trainings on one run folder: the second fails naming the first; the first finishes", async () => {
  const dir = await Deno.makeTempDir();
  const [a, b] = [textSetup(), textSetup()];
  const run = (s: typeof a) =>
    trainInFolder({ vars: s.vars, optimizer: s.opt, task: s.task, totalSteps: 6, checkpointDir: dir });
  const first = run(a);
  await assert.rejects(() => run(b), /being written by process/);
  assert.equal((await first).step, 6);
  disposeAll(a.vars, a.opt.slots(), a.task.stateTensors(), b.vars, b.opt.slots(), b.task.stateTensors());
});
