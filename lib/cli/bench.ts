/**
 * `deno task bench`: micro-benchmarks of every backend that loads here, each in
 * its own process (two wasm backends cannot share a process), printed side by
 * side and written to `results/bench_micro.csv`.
 *
 * Usage: deno task bench [--backends wasm-blas,wasm,cpu] [--budget-ms 400] [--json]
 * @module
 */
import { parseArgs } from "node:util";
import { BACKENDS } from "../backend.ts";
import type { MicroResult } from "../bench/micro.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    backends: { type: "string", default: BACKENDS.join(",") },
    "budget-ms": { type: "string", default: "400" },
    json: { type: "boolean", default: false },
    out: { type: "string", default: "results/bench_micro.csv" },
  },
});

const worker = new URL("./bench_worker.ts", import.meta.url).pathname;
const rows: { backend: string; detail: string; r: MicroResult }[] = [];
const skipped: string[] = [];
for (const name of values.backends.split(",")) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", worker, values["budget-ms"]],
    env: { GRAVES_BACKEND: name },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const last = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  const res = last.startsWith("{")
    ? JSON.parse(last)
    : { ok: false, error: new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) };
  if (!res.ok) {
    skipped.push(`${name}: ${res.error}`);
    continue;
  }
  console.error(res.line);
  for (const r of res.results as MicroResult[]) rows.push({ backend: name, detail: res.line, r });
}

if (values.json) {
  for (const { backend, r } of rows) console.log(JSON.stringify({ backend, ...r }));
} else {
  const backends = [...new Set(rows.map((x) => x.backend))];
  const cases = [...new Set(rows.map((x) => x.r.case))];
  const cell = (b: string, c: string) => {
    const r = rows.find((x) => x.backend === b && x.r.case === c)?.r;
    if (!r) return "";
    return r.gflops !== undefined ? `${r.gflops.toFixed(1)} GFLOP/s` : `${(r.ms * 1000).toFixed(1)} µs`;
  };
  const table = [["case", ...backends], ...cases.map((c) => [c, ...backends.map((b) => cell(b, c))])];
  const widths = table[0].map((_, j) => Math.max(...table.map((r) => r[j].length)));
  for (const r of table) console.log(r.map((v, j) => v.padEnd(widths[j])).join("  "));
}
for (const s of skipped) console.error(`skipped ${s}`);

const csv = [
  "backend,case,ms,gflops",
  ...rows.map(({ backend, r }) => `${backend},"${r.case}",${r.ms},${r.gflops ?? ""}`),
];
await Deno.mkdir("results", { recursive: true });
await Deno.writeTextFile(values.out, csv.join("\n") + "\n");
console.error(`wrote ${values.out} (regenerate: deno task bench)`);
