/**
 * One backend's benchmarks (backend from `GRAVES_BACKEND`), printed as a JSON
 * line for `bench.ts`. Argument: `micro <budgetMs>`, `workloads <reps>`
 * (on `webgpu`, the training workloads only) or `page` (a page of 25 lines of
 * 50 characters written in one hand by the shipped synthesis network).
 * @module
 */
import { initBackend } from "../backend.ts";
import { runMicro } from "../bench/micro.ts";
import {
  benchChar,
  benchHand,
  benchSample,
  benchSynth,
  benchWord,
  type WorkloadResult,
} from "../bench/workloads.ts";
import { layoutLines, writeDocument } from "../experiments/document.ts";
import { disposeWriter, loadWriter } from "../experiments/write.ts";

/** The words a benchmark page is made of (the page is the first 25 lines of 50 characters). */
const PAGE_WORDS = "the quick brown fox jumps over a lazy dog while five boxing wizards jump quickly " +
  "and a wizard's job is to vex chumps quickly in fog ";

/** A page of 25 lines × 50 characters, written in one hand (every line primed by the first). */
async function benchPage(): Promise<WorkloadResult> {
  const w = await loadWriter();
  const lines = layoutLines(PAGE_WORDS.repeat(40), 50).slice(0, 25);
  const page = { size: [210, 297] as [number, number], marginMm: 20, lineHeightMm: 10 };
  const t0 = performance.now();
  const doc = writeDocument(w, lines.join(" "), {
    width: 50,
    page,
    bias: 0.75,
    seed: 1,
    finishStroke: 150,
    redraws: 3,
  });
  const ms = performance.now() - t0, points = doc.lines.reduce((a, l) => a + l.steps, 0);
  disposeWriter(w);
  return {
    workload: "page",
    T: points,
    B: doc.lines.length,
    msPerStep: ms / points,
    symbolsPerS: (1000 * points) / ms,
    peakRssMb: 0,
  };
}

try {
  const report = await initBackend({ quiet: true });
  const [mode, arg] = Deno.args;
  // webgpu reads only asynchronously: its training steps use trainStepAsync, and
  // sampling (one synchronous read per pen point) is left to the CPU backends.
  const gpu = report.name === "webgpu", reps = Number(arg ?? 7);
  const results = mode === "page" ? [await benchPage()] : mode === "workloads"
    ? [
      await benchChar(reps, gpu),
      await benchWord(Math.min(reps, 3), gpu),
      await benchHand(reps, gpu),
      await benchSynth(reps, gpu),
      ...(gpu ? [] : [benchSample()]),
    ]
    : runMicro(Number(arg ?? 400));
  console.log(JSON.stringify({ ok: true, backend: report.name, line: report.line, results }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: (e as Error).message }));
}
