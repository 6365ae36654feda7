/**
 * `deno task bench [--peer] [--peer-device cuda] [--rounds n] [--json] [--micro] [--backends a,b] [--reps n] [--no-browser] [--own-hand] [--digits]`:
 * the paper's two training workloads (and synthesis sampling, and the browser
 * writer's line in headless chromium: `lib/web/bench.ts`) through the
 * project's model code, on the best backend here (or those listed), each
 * backend in its own process; with `--peer`, the PyTorch peer
 * (`../shared/bench/peer_pytorch.py`) in the same run and environment, and the
 * ratio project/peer per workload (with `--rounds n`, n alternating rounds of
 * project and peer and each side's median round); with `--micro`, matMul GFLOP/s and per-op
 * overhead on every backend. Writes `results/bench.csv` (and
 * `results/bench_micro.csv`).
 *
 * On a GPU machine, `--backends webgpu` measures the project's webgpu backend
 * and `--peer-device cuda` runs the peer unchanged under `torch.set_default_device`.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { numberFlag } from "./args.ts";
import { runRecord } from "../report/record.ts";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { BACKENDS } from "../backend.ts";
import { coreTypeForCpu } from "../backend/openblas.ts";
import { exists, PROJECT_ROOT } from "../util/paths.ts";
import type { MicroResult } from "../bench/micro.ts";
import type { WorkloadResult } from "../bench/workloads.ts";
import { benchBrowser } from "../web/bench.ts";
import { WRITES } from "../experiments/registry.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage([
  import.meta.url,
  ...["./bench_own_hand.ts", "./bench_digits.ts"].map((f) => new URL(f, import.meta.url).href),
]);

// --digits: can people read the digits the writers write (lib/cli/bench_digits.ts)
if (Deno.args.includes("--digits")) {
  await (await import("./bench_digits.ts")).benchDigits(Deno.args);
  Deno.exit(0);
}
// --own-hand: how priming works for a person's hand (lib/cli/bench_own_hand.ts)
if (Deno.args.includes("--own-hand")) {
  await (await import("./bench_own_hand.ts")).benchOwnHand(Deno.args);
  Deno.exit(0);
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    backends: { type: "string" },
    reps: { type: "string", default: "7" },
    rounds: { type: "string", default: "1" },
    peer: { type: "boolean", default: false },
    "peer-device": { type: "string", default: "cpu" },
    json: { type: "boolean", default: false },
    micro: { type: "boolean", default: false },
    "budget-ms": { type: "string", default: "400" },
    browser: { type: "boolean", default: true },
  },
});

// Both sides run under the same BLAS settings: the core type the project would pick.
const env: Record<string, string> = {};
if (!Deno.env.get("OPENBLAS_CORETYPE")) {
  try {
    const core = coreTypeForCpu(Deno.readTextFileSync("/proc/cpuinfo"));
    if (core) env.OPENBLAS_CORETYPE = core;
  } catch { /* not Linux: leave OpenBLAS to detect */ }
}
const envLine =
  `OPENBLAS_CORETYPE=${Deno.env.get("OPENBLAS_CORETYPE") ?? env.OPENBLAS_CORETYPE ?? "(auto)"}, ` +
  `OPENBLAS_NUM_THREADS=${Deno.env.get("OPENBLAS_NUM_THREADS") ?? "(all cores)"}`;
const log = (s: string) => console.error(s);
/**
 * Pen points in a 40-character line: IAM-OnDB averages 21.7 points per
 * transcribed character (627.9 points and 28.9 characters per line).
 */
const SAMPLE_POINTS = 870;

async function worker(backend: string | undefined, mode: string, arg: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./bench_worker.ts", import.meta.url).pathname, mode, arg],
    env: { ...env, ...(backend ? { GRAVES_BACKEND: backend } : {}) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const last = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  return last.startsWith("{")
    ? JSON.parse(last)
    : { ok: false, error: new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) };
}

/** The PyTorch peer's symbols/s per workload (empty when it is missing or fails, with the reason logged). */
async function runPeer(): Promise<{ name: string; rate: Map<string, number> }> {
  const rate = new Map<string, number>();
  let name = "";
  const script = Deno.env.get("GRAVES_PEER") ??
    join(PROJECT_ROOT, "..", "shared", "bench", "peer_pytorch.py");
  const python = Deno.env.get("GRAVES_PYTHON") ?? "/usr/bin/python3";
  if (!exists(script)) {
    log(`peer not found at ${script} (set GRAVES_PEER)`);
    return { name, rate };
  }
  const device = values["peer-device"];
  // On another device the peer runs unchanged, with torch's default device set first.
  const args = device === "cpu" ? [script, "--json", "--reps", values.reps] : [
    "-c",
    `import runpy, sys, torch; torch.set_default_device(${JSON.stringify(device)}); ` +
    `sys.argv = ["peer", "--json", "--reps", ${JSON.stringify(values.reps)}]; ` +
    `runpy.run_path(${JSON.stringify(script)}, run_name="__main__")`,
  ];
  const out = await new Deno.Command(python, {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) log(`peer failed: ${new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)}`);
  for (const l of new TextDecoder().decode(out.stdout).trim().split("\n").filter((l) => l.startsWith("{"))) {
    const j = JSON.parse(l);
    rate.set(j.workload, j.symbols_per_s);
    name = device === "cpu" ? j.peer : `${j.peer} (${device})`;
  }
  return { name, rate };
}

const middle = <T>(xs: T[], key: (x: T) => number): T =>
  [...xs].sort((a, b) => key(a) - key(b))[xs.length >> 1];

log(`environment for both sides: ${envLine}`);
// Rounds alternate project and peer, so a drift in the machine's speed reaches both sides alike;
// each side's median round is reported.
const rounds = numberFlag("rounds", values.rounds, { integer: true, min: 1 })!;
const seen = new Map<string, WorkloadResult[]>(), backendOf = new Map<string, string>();
const peerRuns = new Map<string, number[]>();
let peerName = "";
for (let round = 0; round < rounds; round++) {
  for (const b of values.backends ? values.backends.split(",") : [undefined]) {
    const res = await worker(b, "workloads", values.reps);
    if (!res.ok) {
      if (round === 0) log(`skipped ${b}: ${res.error}`);
      continue;
    }
    if (round === 0) log(res.line);
    for (const r of res.results as WorkloadResult[]) {
      const k = `${res.backend}\0${r.workload}`;
      seen.set(k, [...(seen.get(k) ?? []), r]);
      backendOf.set(k, res.backend);
    }
  }
  if (values.peer) {
    const p = await runPeer();
    peerName ||= p.name;
    for (const [w, v] of p.rate) peerRuns.set(w, [...(peerRuns.get(w) ?? []), v]);
  }
}
const rows = [...seen].map(([k, rs]) => ({
  backend: backendOf.get(k)!,
  r: middle(rs, (r) => r.symbolsPerS),
}));
// a page of 25 lines × 50 characters in one hand with the shipped network (the document writer)
{
  const res = await worker(undefined, "page", "");
  if (res.ok) {
    const r = res.results[0] as WorkloadResult;
    rows.push({ backend: res.backend, r });
    log(
      `page: ${r.B} lines of 50 characters (${r.T} points) in one hand in ${
        (r.T / r.symbolsPerS).toFixed(1)
      } s`,
    );
  } else log(`page: skipped (${res.error})`);
}
// the browser writer: a 40-character line in headless chromium (--no-browser skips it)
if (values.browser) {
  try {
    const b = await benchBrowser(WRITES.shipped, Math.max(3, rounds));
    rows.push({
      backend: b.sampler,
      r: {
        workload: "browser",
        T: 1,
        B: 1,
        msPerStep: (1000 * b.seconds) / b.points,
        symbolsPerS: b.points / b.seconds,
        peakRssMb: 0,
      },
    });
    log(`browser: a 40-character line (${b.points} points) in ${b.seconds.toFixed(2)} s (${b.sampler})`);
  } catch (e) {
    log(`browser: skipped (${(e as Error).message})`);
  }
}
const peer = new Map([...peerRuns].map(([w, vs]) => [w, middle(vs, (v) => v)]));
if (rounds > 1 && peer.size) {
  for (const rs of seen.values()) {
    const p = peerRuns.get(rs[0].workload);
    if (p) {
      log(
        `${rs[0].workload} ratio per round: ${
          rs.map((r, i) => (r.symbolsPerS / p[i]).toFixed(2)).join(", ")
        }`,
      );
    }
  }
}

const fmt = (x: number) => Math.round(x).toLocaleString("en");
if (values.json) {
  for (const { backend, r } of rows) {
    const p = peer.get(r.workload);
    console.log(JSON.stringify({
      workload: r.workload,
      backend,
      symbols_per_s: r.symbolsPerS,
      ms_per_step: r.msPerStep,
      peak_rss_mb: r.peakRssMb,
      ...(p ? { peer_symbols_per_s: p, ratio: r.symbolsPerS / p } : {}),
    }));
  }
} else {
  console.log(
    `workload  backend    ms/step   symbols/s   peak RSS${
      peer.size ? `   ${peerName} symbols/s   ratio` : ""
    }`,
  );
  for (const { backend, r } of rows) {
    const p = peer.get(r.workload);
    console.log(
      `${r.workload.padEnd(9)} ${backend.padEnd(10)} ${r.msPerStep.toFixed(1).padStart(7)} ${
        fmt(r.symbolsPerS).padStart(11)
      } ` +
        `${(r.peakRssMb.toFixed(0) + " MB").padStart(10)}` +
        (p ? `   ${fmt(p).padStart(17)}   ${(r.symbolsPerS / p).toFixed(2)}×` : ""),
    );
  }
  const s = rows.find((x) => x.r.workload === "sample")?.r;
  if (s) {
    console.log(
      `synthesis sampling: ${fmt(s.symbolsPerS)} points/s; a 40-character line (~${SAMPLE_POINTS} points) ≈ ${
        (SAMPLE_POINTS / s.symbolsPerS).toFixed(2)
      } s`,
    );
  }
}
await Deno.mkdir(join(PROJECT_ROOT, "results"), { recursive: true });
const csv = [
  "workload,backend,ms_per_step,symbols_per_s,peak_rss_mb,peer,peer_symbols_per_s,ratio,environment",
  ...rows.map(({ backend, r }) => {
    const p = peer.get(r.workload);
    return [
      r.workload,
      backend,
      r.msPerStep,
      r.symbolsPerS,
      r.peakRssMb,
      p ? peerName : "",
      p ?? "",
      p ? r.symbolsPerS / p : "",
      `"${envLine}"`,
    ]
      .join(",");
  }),
];
Deno.writeTextFileSync(join(PROJECT_ROOT, "results", "bench.csv"), csv.join("\n") + "\n");
// the record beside it: the exact command, commit, clean tree, date, backend, machine
const record = runRecord({
  profile: "benchmark",
  data: { synthetic: "random inputs of the paper's shapes" },
  config: { rounds },
});
Deno.writeTextFileSync(
  join(PROJECT_ROOT, "results", "bench.record.json"),
  JSON.stringify(record, null, 2) + "\n",
);
log(`wrote results/bench.csv and its record, results/bench.record.json (regenerate: ${record.command})`);

if (values.micro) {
  const micro: { backend: string; r: MicroResult }[] = [];
  for (const b of BACKENDS) {
    const res = await worker(b, "micro", values["budget-ms"]);
    if (!res.ok) {
      log(`micro: skipped ${b}: ${res.error}`);
      continue;
    }
    for (const r of res.results as MicroResult[]) micro.push({ backend: b, r });
  }
  const backs = [...new Set(micro.map((m) => m.backend))], cases = [...new Set(micro.map((m) => m.r.case))];
  const cell = (b: string, c: string) => {
    const r = micro.find((x) => x.backend === b && x.r.case === c)?.r;
    return !r
      ? ""
      : r.gflops !== undefined
      ? `${r.gflops.toFixed(1)} GFLOP/s`
      : `${(r.ms * 1000).toFixed(1)} µs`;
  };
  console.log(["case".padEnd(34), ...backs.map((b) => b.padEnd(14))].join(""));
  for (const c of cases) console.log([c.padEnd(34), ...backs.map((b) => cell(b, c).padEnd(14))].join(""));
  const lines = [
    "backend,case,ms,gflops",
    ...micro.map(({ backend, r }) => `${backend},"${r.case}",${r.ms},${r.gflops ?? ""}`),
  ];
  Deno.writeTextFileSync(join(PROJECT_ROOT, "results", "bench_micro.csv"), lines.join("\n") + "\n");
  log("wrote results/bench_micro.csv (regenerate: deno task bench --micro)");
}
