/**
 * `deno task notebooks [names...] [--profile quick|paper] [--timeout s] [--scratch]`:
 * executes notebooks headless on the real Deno Jupyter kernel (the kernelspec
 * in `notebooks/kernels/deno`, Jupyter's client from Debian's
 * `python3-nbclient`), writes them back with their outputs, and fails on any
 * cell error or timeout, then formats them as `deno fmt` does
 * (`lib/cli/notebook_format.ts`). Names match `notebooks/<name>.ipynb`; default: all.
 * The notebooks write `results/<name>/` (`GRAVES_NOTEBOOK_OUT=results`);
 * `--scratch` runs them without touching anything tracked: results to
 * `scratch/<name>/`, the executed notebooks to `scratch/notebooks/`. On
 * x86-64 the numerics are pinned (OpenBLAS's Haswell kernels, native kernels
 * for x86-64-v3, unless the environment sets them; two OpenBLAS threads in the
 * quick profile) so that every machine with AVX2 writes the same bytes.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { join } from "node:path";
import { displayPath, PROJECT_ROOT } from "../util/paths.ts";
import { formatNotebook } from "./notebook_format.ts";
import { exitWithUsage } from "./usage.ts";
import { NOTEBOOK_OUT_ENV } from "../report/notebook.ts";

exitWithUsage(import.meta.url);

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    profile: { type: "string" },
    timeout: { type: "string", default: "900" },
    python: { type: "string", default: Deno.env.get("GRAVES_PYTHON") ?? "/usr/bin/python3" },
    scratch: { type: "boolean", default: false },
  },
});
const dir = join(PROJECT_ROOT, "notebooks");
const all = [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".ipynb")).map((e) =>
  e.name.replace(/\.ipynb$/, "")
)
  .sort();
const names = positionals.length
  ? positionals.map((n) => n.replace(/\.ipynb$/, "").replace(/^notebooks\//, ""))
  : all;
for (const n of names) {
  if (!all.includes(n)) {
    console.error(`no notebook notebooks/${n}.ipynb (have: ${all.join(", ")})`);
    Deno.exit(2);
  }
}
const jupyterDir = join(PROJECT_ROOT, ".jupyter");
const env: Record<string, string> = {
  JUPYTER_PATH: dir, // kernels/deno/kernel.json
  JUPYTER_CONFIG_DIR: join(jupyterDir, "config"),
  JUPYTER_DATA_DIR: join(jupyterDir, "data"),
  JUPYTER_RUNTIME_DIR: join(jupyterDir, "runtime"),
  JUPYTER_PLATFORM_DIRS: "1",
  NO_COLOR: "1",
  [NOTEBOOK_OUT_ENV]: values.scratch ? "scratch" : "results",
};
// The same bits on every x86-64 machine with AVX2: OpenBLAS's Haswell kernels (unless the environment sets
// a core type) and native kernels compiled for x86-64-v3, rather than each CPU's fastest, whose sums differ
// in the last bits and so change samples (a flipped symbol changes all the text after it); and, in the quick
// profile whose outputs are committed, two OpenBLAS threads whatever the machine has (one thread instead of
// two changed Fig 10's density raster).
const profile = values.profile ?? Deno.env.get("GRAVES_PROFILE") ?? "quick";
if (Deno.build.arch === "x86_64") {
  const pinned: Record<string, string> = {
    OPENBLAS_CORETYPE: Deno.env.get("OPENBLAS_CORETYPE") ?? "Haswell",
    GRAVES_NATIVE_MARCH: Deno.env.get("GRAVES_NATIVE_MARCH") ?? "x86-64-v3",
  };
  if (profile === "quick") pinned.OPENBLAS_NUM_THREADS = "2";
  Object.assign(env, pinned);
  console.log(
    `numerics pinned for reproducibility: ${Object.entries(pinned).map(([k, v]) => `${k}=${v}`).join(", ")}`,
  );
}
const saveDir = values.scratch ? join(PROJECT_ROOT, "scratch", "notebooks") : dir;
Deno.mkdirSync(saveDir, { recursive: true });
if (values.profile) env.GRAVES_PROFILE = values.profile;
let failed = 0;
for (const n of names) {
  const path = join(dir, `${n}.ipynb`), saved = join(saveDir, `${n}.ipynb`);
  const t0 = performance.now();
  console.log(
    `notebooks/${n}.ipynb (profile ${env.GRAVES_PROFILE ?? Deno.env.get("GRAVES_PROFILE") ?? "quick"})`,
  );
  const { success } = await new Deno.Command(values.python, {
    args: [
      join(PROJECT_ROOT, "lib", "notebooks", "execute.py"),
      path,
      saved,
      "--timeout",
      values.timeout,
      "--cwd",
      dir,
    ],
    env,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  // written back as `deno fmt` writes notebooks (the test command checks it byte for byte)
  if (success) await formatNotebook(saved);
  console.log(
    `  ${success ? "ok" : "FAILED"} in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
      (values.scratch ? ` (saved as ${displayPath(saved)})` : ""),
  );
  if (!success) failed++;
}
if (failed) Deno.exit(1);
