/**
 * One backend's benchmarks (backend from `GRAVES_BACKEND`), printed as a JSON
 * line for `bench.ts`. Argument: `micro <budgetMs>` or `workloads <reps>`.
 * @module
 */
import { initBackend } from "../backend.ts";
import { runMicro } from "../bench/micro.ts";
import { benchChar, benchHand, benchSample, benchSynth } from "../bench/workloads.ts";

try {
  const report = await initBackend({ quiet: true });
  const [mode, arg] = Deno.args;
  const results = mode === "workloads"
    ? [benchChar(Number(arg ?? 7)), benchHand(Number(arg ?? 7)), benchSynth(Number(arg ?? 7)), benchSample()]
    : runMicro(Number(arg ?? 400));
  console.log(JSON.stringify({ ok: true, backend: report.name, line: report.line, results }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: (e as Error).message }));
}
