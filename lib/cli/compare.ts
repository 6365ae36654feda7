/**
 * `deno task compare <run-a> <run-b> [--window n]`: a paired A/B of two run
 * folders branched from one checkpoint (`deno task train --from`): the mean
 * training loss of each over windows of n steps after the branch point, their
 * difference, and the evaluations both recorded. Full validation scores come
 * from `deno task eval <experiment> --checkpoint <run>`.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { branchStep, compareHistories, readRunRecord } from "../runs/compare.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { window: { type: "string", default: "50" } },
});
const window = Number(values.window);
if (positionals.length !== 2 || !(window >= 1)) {
  console.error("usage: deno task compare <run-a> <run-b> [--window n]");
  Deno.exit(2);
}
const [dirA, dirB] = positionals;
try {
  const a = readRunRecord(dirA), b = readRunRecord(dirB);
  if (a.experiment && b.experiment && a.experiment !== b.experiment) {
    throw new Error(
      `${dirA} is a ${a.experiment} run and ${dirB} a ${b.experiment} one: compare branches of one run`,
    );
  }
  const from = branchStep(a.history, b.history);
  const rows = compareHistories(a.history, b.history, window, from);
  if (rows.length === 0) {
    throw new Error(
      `${dirA} and ${dirB} have no ${window} steps in common after step ${from} to compare (a smaller --window?)`,
    );
  }
  console.log(`a = ${dirA} (step ${a.step}), b = ${dirB} (step ${b.step}); branched after step ${from}`);
  console.log(`\n| steps | a: mean loss | b: mean loss | b − a |\n| --- | --- | --- | --- |`);
  for (const r of rows) {
    console.log(
      `| ${r.from}-${r.to} | ${r.a.toFixed(3)} | ${r.b.toFixed(3)} | ${r.diff >= 0 ? "+" : ""}${
        r.diff.toFixed(3)
      } |`,
    );
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
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(1);
}
