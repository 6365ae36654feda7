/**
 * Fault injection: a tiny training run killed with SIGKILL at 20 moments — at random times, and
 * at each point inside a checkpoint write (GRAVES_FAULT) — and resumed after each, ends with
 * weights identical to an uninterrupted run's; after every kill the latest checkpoint passes its
 * integrity check, leftovers are cleared and the dead writer's lock is taken over.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { loadCheckpoint } from "../../lib/runs/checkpoint.ts";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";
import { Rng } from "../../lib/util/rng.ts";

await useProjectBackend();
const STEPS = 2500; // about 10 s uninterrupted: 20 kills cover about half of it, each landing mid-run
const script = join(PROJECT_ROOT, "tests", "helpers", "tiny_run.ts");

/** Starts the tiny run in `dir`; `killAfterMs` sends SIGKILL after that long (if still running). */
async function run(dir: string, o: { killAfterMs?: number; fault?: string } = {}) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, dir, String(STEPS)],
    env: { NO_COLOR: "1", OPENBLAS_NUM_THREADS: "1", ...(o.fault ? { GRAVES_FAULT: o.fault } : {}) },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = o.killAfterMs === undefined ? undefined : setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already finished */ }
  }, o.killAfterMs);
  const r = await child.output();
  clearTimeout(timer);
  return {
    code: r.code,
    signal: r.signal,
    out: new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr),
  };
}

async function weights(dir: string): Promise<Record<string, number[]>> {
  const ck = await loadCheckpoint(dir);
  const w = Object.fromEntries(
    Object.entries(ck.tensors).filter(([k]) => k.startsWith("param/")).map((
      [k, t],
    ) => [k, [...t.dataSync()]]),
  );
  tf.dispose(Object.values(ck.tensors));
  return w;
}

Deno.test("fault injection: 20 kills, random and inside checkpoint writes; every resume ends where an uninterrupted run does", async () => {
  const ref = await Deno.makeTempDir();
  const whole = await run(ref);
  assert.equal(whole.code, 0, whole.out);
  const want = await weights(ref);
  const dir = await Deno.makeTempDir();
  const rng = new Rng(2026);
  const faults = ["weights-written", "manifest-written", "step-renamed", "latest-renamed"];
  let killed = 0;
  const steps: number[] = [];
  for (let i = 0; i < 20; i++) {
    // kills 0-3 and 10-13 stop inside a checkpoint write, at each point of it; the others at a random moment
    const fault = i % 10 < 4 ? `${faults[i % 10]}:${5 + 7 * i}` : undefined;
    const r = await run(dir, fault ? { fault } : { killAfterMs: 300 + Math.floor(rng.next() * 500) });
    if (r.code === 0) break; // the run finished before this kill came
    killed++;
    assert.ok(r.signal === "SIGKILL" || r.code === 137, `killed, not failed: ${r.out}`);
    if (exists(join(dir, "latest.json"))) {
      const ck = await loadCheckpoint(dir); // verifies size and SHA-256: throws on a damaged checkpoint
      steps.push(ck.step);
      tf.dispose(Object.values(ck.tensors));
    }
  }
  const last = await run(dir);
  assert.equal(last.code, 0, last.out);
  assert.match(last.out, new RegExp(`done at step ${STEPS}`));
  assert.equal(killed, 20, "every kill landed before the run finished");
  assert.ok(steps.length >= 10 && steps.at(-1)! > 0, `progress kept across kills: ${steps.join(", ")}`);
  assert.deepEqual(await weights(dir), want, "identical weights to the uninterrupted run's");
  assert.deepEqual([...Deno.readDirSync(dir)].filter((e) => e.name.startsWith(".")).map((e) => e.name), []);
});
