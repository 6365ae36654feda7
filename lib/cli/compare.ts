/**
 * `deno task compare <run-a> <run-b> [<run-c>…] [--window n] [--plot file.png [--branches-only]] [--measure name] [--label text]…`:
 * a paired A/B of run folders branched from one checkpoint (`deno task train
 * --from`): the mean training loss of a and of each other run over windows of
 * n steps after the branch point, their difference, and the evaluations they
 * recorded. `--plot` draws the in-run evaluations of `--measure` (default the
 * first `valid_` measure recorded) of every run after the branch point, beside
 * the shared curve before it, by step (an SVG beside the PNG), each run labelled by
 * its `--label` in order (default its folder's name); `--branches-only` leaves
 * out the shared curve (when it was scored on other lines, as a seed's may
 * be). Full validation
 * scores come from `deno task eval <experiment> --checkpoint <run>`.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { basename, dirname, extname } from "node:path";
import { branchStep, compareHistories, evalSeries, readRunRecord } from "../runs/compare.ts";
import { curves } from "../plots/figures.ts";
import { saveFigure } from "../plots/render.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    window: { type: "string", default: "50" },
    plot: { type: "string" },
    measure: { type: "string" },
    label: { type: "string", multiple: true },
    "branches-only": { type: "boolean", default: false },
  },
});
const window = Number(values.window);
const labels = values.label ?? [];
if (
  positionals.length < 2 || labels.length > positionals.length || !(window >= 1) ||
  (values.plot !== undefined && extname(values.plot) !== ".png")
) {
  console.error(
    "usage: deno task compare <run-a> <run-b> [<run-c>…] [--window n] [--plot file.png] [--measure name] " +
      "[--label text]…",
  );
  Deno.exit(2);
}
try {
  const runs: Run[] = positionals.map((dir, i) => ({
    dir,
    name: labels[i] ?? basename(dir),
    ...readRunRecord(dir),
  }));
  const [a] = runs;
  for (const r of runs.slice(1)) {
    if (a.experiment && r.experiment && a.experiment !== r.experiment) {
      throw new Error(
        `${a.dir} is a ${a.experiment} run and ${r.dir} a ${r.experiment} one: compare branches of one run`,
      );
    }
  }
  const from = Math.min(...runs.slice(1).map((r) => branchStep(a.history, r.history)));
  for (const b of runs.slice(1)) pairTable(a, b, from);
  if (values.plot) plotEvals(runs, from, values.plot, values.measure, values["branches-only"]);
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(1);
}

/** A run folder's record, with its folder and the name its curve is labelled by. */
type Run = ReturnType<typeof readRunRecord> & { dir: string; name: string };

/** The windows of a and b after the branch point, and the evaluations both recorded. */
function pairTable(a: Run, b: Run, from: number): void {
  const rows = compareHistories(a.history, b.history, window, from);
  if (rows.length === 0) {
    throw new Error(
      `${a.dir} and ${b.dir} have no ${window} steps in common after step ${from} to compare (a smaller --window?)`,
    );
  }
  console.log(`a = ${a.dir} (step ${a.step}), b = ${b.dir} (step ${b.step}); branched after step ${from}`);
  console.log(`\n| steps | a: mean loss | b: mean loss | b − a |\n| --- | --- | --- | --- |`);
  for (const r of rows) {
    const diff = `${r.diff >= 0 ? "+" : ""}${r.diff.toFixed(3)}`;
    console.log(`| ${r.from}-${r.to} | ${r.a.toFixed(3)} | ${r.b.toFixed(3)} | ${diff} |`);
  }
  const lower = rows.filter((r) => r.diff < 0).length;
  console.log(`\nb's loss is lower in ${lower} of ${rows.length} windows of ${window} steps`);
  const evalsB = new Map(b.evals.map((e) => [e.step, e]));
  for (const ea of a.evals.filter((e) => e.step > from && evalsB.has(e.step))) {
    const eb = evalsB.get(ea.step)!;
    const keys = Object.keys(ea).filter((k) => k.startsWith("valid_") && k in eb);
    console.log(
      `evaluation at step ${ea.step}: ${
        keys.map((k) => `${k} a ${ea[k].toFixed(3)}, b ${eb[k].toFixed(3)}`).join("; ")
      }`,
    );
  }
}

/** Every run's in-run evaluations after the branch point (and the shared ones before it) as one figure. */
function plotEvals(all: Run[], from: number, out: string, measure?: string, branchesOnly = false): void {
  const name = measure ??
    Object.keys(
      all.flatMap((r) => r.evals).find((e) => Object.keys(e).some((k) => k.startsWith("valid_"))) ?? {},
    )
      .find((k) => k.startsWith("valid_"));
  if (!name) throw new Error("the runs recorded no in-run evaluation to plot (no valid_ measure)");
  const evals = evalSeries(all, name, from), series = evals.series;
  const shared = branchesOnly ? [] : evals.shared;
  console.log(`\n${name} after step ${from}:`);
  for (const s of series) {
    const pts = s.after.map((p) => `${p.step} (${p.hours.toFixed(1)} h) ${p.value.toFixed(1)}`);
    console.log(`${s.name}: ${pts.join(", ") || "none"}`);
  }
  const points = [
    ...shared.map((p) => ({ x: p.step, y: p.value, series: "before the branch" })),
    ...series.flatMap((s) => {
      const joined = shared.at(-1)
        ? [{ x: shared.at(-1)!.step, y: shared.at(-1)!.value, series: s.name }]
        : [];
      return [...joined, ...s.after.map((p) => ({ x: p.step, y: p.value, series: s.name }))];
    }),
  ];
  const fig = curves(points, {
    x: "step",
    y: name,
    changes: [{ x: from, label: `branch (step ${from})` }],
    marginLeft: 56,
    marginRight: 16 + 7 * Math.max(...series.map((s) => s.name.length)),
    title: `In-run ${name}: ${all.length} runs branched at step ${from}`,
  });
  const saved = saveFigure(fig, dirname(out), basename(out, ".png"));
  console.log(`\nwrote ${saved.png} and ${saved.svg}`);
}
