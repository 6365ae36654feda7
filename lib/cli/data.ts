/**
 * `deno task data [--download] [--rebuild]`: finds each dataset (`lib/data/datasets.ts`) under
 * `GRAVES_DATA`, verifies it, prints a summary table, and with `--download`
 * fetches PTB and enwik8 from their public sources. IAM-OnDB needs
 * registration: the task says what to download and where to put it.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { dataRoot } from "../util/paths.ts";
import { DATASETS } from "../data/datasets.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

const { values } = parseArgs({
  args: Deno.args,
  options: { download: { type: "boolean", default: false }, rebuild: { type: "boolean", default: false } },
});
const root = dataRoot();
console.log(`datasets in ${root} (GRAVES_DATA)`);
const rows: string[][] = [["dataset", "files", "lines", "symbols", "size", "checks / notes"]];
let problems = 0;
const fail = (name: string, e: unknown) => {
  problems++;
  rows.push([name, "-", "-", "-", "-", `NOT AVAILABLE: ${(e as Error).message}`]);
};

for (const d of DATASETS) {
  try {
    const r = await d.check(root, values);
    problems += r.problems;
    rows.push([d.name, r.files, r.lines, r.symbols, r.size, r.notes]);
    for (const line of r.details ?? []) console.log(`  ${line}`);
  } catch (e) {
    fail(d.name, e);
    if (d.howToGet) console.log(`  ${d.howToGet(root)}`);
  }
}

const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
console.log();
for (const r of rows) console.log(r.map((v, j) => (j === r.length - 1 ? v : v.padEnd(widths[j]))).join("  "));
if (problems) {
  console.log(
    `\n${problems} problem(s); datasets not available are needed only by the notebooks that use them.`,
  );
  Deno.exit(1);
}
