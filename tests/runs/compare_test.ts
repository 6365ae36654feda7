/**
 * Paired A/B of branched runs: the branch point is found from the shared
 * history, windows pair the same steps, and `deno task compare` prints them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { branchStep, compareHistories, evalSeries, readRunRecord } from "../../lib/runs/compare.ts";
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

Deno.test("compare: in-run evaluations after the branch, hours counted from it, the shared curve once", () => {
  const ev = (step: number, seconds: number, v: number): HistoryRow => ({
    step,
    epochs: 0,
    loss: 0,
    seconds,
    valid_nats: v,
  });
  const hist = [row(2, 0), { ...row(3, 3), seconds: 3600 }];
  const { shared, series } = evalSeries(
    [
      { name: "a", history: hist, evals: [ev(1, 0, -5), ev(3, 3600, -6), ev(5, 7200, -4)] },
      { name: "b", history: hist, evals: [ev(1, 0, -5), ev(3, 3600, -6), ev(5, 5400, -7)] },
    ],
    "valid_nats",
    3,
  );
  assert.deepEqual(shared, [{ step: 1, value: -5 }, { step: 3, value: -6 }]);
  assert.deepEqual(series.map((s) => s.after), [[{ step: 5, hours: 1, value: -4 }], [{
    step: 5,
    hours: 0.5,
    value: -7,
  }]]);
  assert.throws(
    () => evalSeries([{ name: "a", history: hist, evals: [] }], "valid_nats", 3),
    /no run recorded/,
  );
  // a branch from a weight average: the seed's row counts its members' seconds; the run's own rows set the clock
  const seeded = [{ ...row(3, 3), seconds: 99_000 }, { ...row(4, 3), seconds: 1_800 }, {
    ...row(5, 3),
    seconds: 3_600,
  }];
  const fromAverage = evalSeries(
    [{ name: "c", history: seeded, evals: [ev(5, 3_600, -7)] }],
    "valid_nats",
    3,
  );
  assert.deepEqual(fromAverage.series[0].after, [{ step: 5, hours: 1, value: -7 }]);
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
  // --plot: a third run, labelled; the figure written as PNG (a real PNG header) and SVG
  const evals = (
    v: number,
  ) => [{ ...row(3, 3), valid_nats_per_sequence: -9 }, { ...row(7, 1), valid_nats_per_sequence: v }];
  const [pa, pb, pc] = [
    await run(a, { evals: evals(-8) }),
    await run(b, { evals: evals(-10) }),
    await run(b, {
      evals: evals(-11),
    }),
  ];
  const png = join(await Deno.makeTempDir(), "curves.png");
  const p = await cli(pa, pb, pc, "--window", "2", "--plot", png, "--label", "base", "--label", "lower");
  const pout = new TextDecoder().decode(p.stdout);
  assert.ok(p.success, new TextDecoder().decode(p.stderr));
  assert.match(pout, /^base: 7 \(0\.0 h\) -8\.0$/m);
  assert.match(pout, /^lower: 7 \(0\.0 h\) -10\.0$/m);
  assert.equal(pout.match(/branched after step 3/g)?.length, 2); // a against b, a against c
  assert.deepEqual([...Deno.readFileSync(png).slice(1, 4)], [...new TextEncoder().encode("PNG")]);
  assert.match(Deno.readTextFileSync(png.replace(/png$/, "svg")), /lower/);
  assert.match(Deno.readTextFileSync(png.replace(/png$/, "svg")), /before the branch/);
  assert.ok((await cli(pa, pb, "--window", "2", "--plot", png, "--branches-only")).success);
  assert.doesNotMatch(Deno.readTextFileSync(png.replace(/png$/, "svg")), /before the branch/);
  assert.ok(!(await cli(pa, pb, "--plot", join(await Deno.makeTempDir(), "x.jpg"))).success);
  const shipped = await cli(da, await run(b, { historyBlock: 20 }));
  assert.ok(!shipped.success);
  assert.match(new TextDecoder().decode(shipped.stderr), /shipped checkpoint keeps only block means/);
});
