/**
 * One backend's benchmarks (backend from `GRAVES_BACKEND`), printed as a JSON
 * line for `bench.ts`. Argument: `micro <budgetMs>` or `workloads <reps>`
 * (on `webgpu`, the training workloads only).
 * @module
 */
import { initBackend } from "../backend.ts";
import { runMicro } from "../bench/micro.ts";
import { benchChar, benchHand, benchSample, benchSynth } from "../bench/workloads.ts";

try {
  const report = await initBackend({ quiet: true });
  const [mode, arg] = Deno.args;
  // webgpu reads only asynchronously: its training steps use trainStepAsync, and
  // sampling (one synchronous read per pen point) is left to the CPU backends.
  const gpu = report.name === "webgpu", reps = Number(arg ?? 7);
  const results = mode === "workloads"
    ? [
      await benchChar(reps, gpu),
      await benchHand(reps, gpu),
      await benchSynth(reps, gpu),
      ...(gpu ? [] : [benchSample()]),
    ]
    : runMicro(Number(arg ?? 400));
  console.log(JSON.stringify({ ok: true, backend: report.name, line: report.line, results }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: (e as Error).message }));
}
