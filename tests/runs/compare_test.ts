/**
 * Paired A/B of branched runs: the branch point is found from the shared
 * history, windows pair the same steps, and `deno task compare` prints them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { branchStep, compareHistories, readRunRecord } from "../../lib/runs/compare.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import type { HistoryRow } from "../../lib/train/loop.ts";

const row = (step: number, loss: number): HistoryRow => ({ step, epochs: 0, loss, seconds: 0 });
const shared = [row(1, 5), row(2, 4), row(3, 3)];
const a = [...shared, row(4, 2), row(5, 2), row(6, 2), row(7, 2), row(8, 9)];
const b = [...shared, row(4, 1), row(5, 3), row(6, 1), row(7, 1)];

Deno.test("compare: the branch point, paired windows over the steps both runs reached", () => {
  assert.equal(branchStep(a, b), 3);
  assert.equal(branchStep([row(1, 1)], [row(1, 2)]), 0);
  assert.deepEqual(compareHistories(a, b, 2), [
    { from: 4, to: 5, a: 2, b: 2, diff: 0 },
    { from: 6, to: 7, a: 2, b: 1, diff: -1 },
  ]);
  assert.throws(() => compareHistories(shared, shared, 2), /share no steps after step 3/);
});

Deno.test("deno task compare: reads two run folders and prints the table; a shipped checkpoint is refused", async () => {
  const run = async (history: HistoryRow[], extra: Record<string, unknown> = {}) => {
    const dir = await Deno.makeTempDir();
    const step = history.at(-1)!.step;
    Deno.mkdirSync(join(dir, `step-${step}`));
    Deno.writeTextFileSync(join(dir, "latest.json"), JSON.stringify({ step, path: `step-${step}` }));
    Deno.writeTextFileSync(
      join(dir, `step-${step}`, "model.json"),
      JSON.stringify({ format: "graves2013-checkpoint", step, meta: { history, evals: [], ...extra } }),
    );
    return dir;
  };
  const [da, db] = [await run(a), await run(b)];
  assert.equal(readRunRecord(da).step, 8);
  const cli = (...args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(PROJECT_ROOT, "lib", "cli", "compare.ts"), ...args],
      env: { NO_COLOR: "1" },
    }).output();
  const r = await cli(da, db, "--window", "2");
  const out = new TextDecoder().decode(r.stdout);
  assert.ok(r.success, new TextDecoder().decode(r.stderr));
  assert.match(out, /branched after step 3/);
  assert.match(out, /\| 6-7 \| 2\.000 \| 1\.000 \| -1\.000 \|/);
  assert.match(out, /lower in 1 of 2 windows/);
  const shipped = await cli(da, await run(b, { historyBlock: 20 }));
  assert.ok(!shipped.success);
  assert.match(new TextDecoder().decode(shipped.stderr), /shipped checkpoint keeps only block means/);
});
