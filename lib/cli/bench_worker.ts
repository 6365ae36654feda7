/**
 * One backend's micro-benchmarks (backend from `GRAVES_BACKEND`), printed as a
 * JSON line for `bench.ts`.
 * @module
 */
import { initBackend } from "../backend.ts";
import { runMicro } from "../bench/micro.ts";

try {
  const report = await initBackend({ quiet: true });
  const results = runMicro(Number(Deno.args[0] ?? 400));
  console.log(JSON.stringify({ ok: true, line: report.line, results }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: (e as Error).message }));
}
