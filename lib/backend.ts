/**
 * One place that initialises TensorFlow.js and says, in one line, what runs.
 *
 * Preference order (first that loads wins):
 * 1. `tfjs-node-gpu` — libtensorflow with CUDA (needs its install script run).
 * 2. `tfjs-node` — libtensorflow on the CPU.
 * 3. `wasm-blas` — the offline CPU path: tfjs `wasm` with matMul routed to the
 *    system OpenBLAS and copy-free slicing (`backend/wasm_kernels.ts`), plus
 *    fused LSTM, RMSProp and reduction kernels compiled from C when a
 *    compiler is present (`backend/native.ts`).
 * 4. `wasm` — the stock WebAssembly backend.
 * 5. `cpu` — the stock JavaScript backend (very slow; last resort).
 *
 * `GRAVES_BACKEND=<name>` forces one; a forced backend that cannot load is an
 * error, never a silent fallback. `webgpu` (`backend/webgpu.ts`) can only be
 * forced: it reads asynchronously only, so it runs benchmarks, not training.
 *
 * @example
 * ```ts
 * import { initBackend } from "./backend.ts";
 * const report = await initBackend();
 * console.log(report.line); // "backend: wasm-blas (OpenBLAS 0.3 SkylakeX, 2 threads) — skipped tfjs-node-gpu: ..."
 * ```
 * @module
 */
import * as tf from "./tf.ts";
import "@tensorflow/tfjs-backend-cpu";
import * as wasmBackend from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { loadOpenBlas } from "./backend/openblas.ts";
import { installWasmKernels } from "./backend/wasm_kernels.ts";
import { installNative } from "./backend/native.ts";
import { initWebGpu } from "./backend/webgpu.ts";

/** The backends chosen automatically, best first. */
export const BACKENDS = ["tfjs-node-gpu", "tfjs-node", "wasm-blas", "wasm", "cpu"] as const;
/** Every backend `GRAVES_BACKEND` accepts: the automatic ones and `webgpu`. */
export const FORCEABLE = [...BACKENDS, "webgpu"] as const;
/** A backend name as accepted by `GRAVES_BACKEND`. */
export type BackendName = typeof FORCEABLE[number];

/** What `initBackend` chose and why. */
export interface BackendReport {
  /** The backend now running. */
  name: BackendName;
  /** tfjs's own name for it (`tensorflow`, `wasm`, `cpu`, `webgpu`). */
  tfName: string;
  /** Details: OpenBLAS core and threads, CUDA, ... */
  detail: string;
  /** Better backends that were tried and why each was skipped. */
  skipped: { name: BackendName; reason: string }[];
  /** Everything above in one line, for logs and run records. */
  line: string;
}

let current: BackendReport | undefined;

/** Shortens the loader errors users see most often into one clause. */
function reason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/tfjs_binding\.node.*can ?not be found/s.test(msg)) {
    return "native addon not built (its install script downloads libtensorflow; see docs/backends.md, Using a GPU)";
  }
  if (/libcudart|libcudnn|libcuda/.test(msg)) return `CUDA libraries missing (${msg.split("\n")[0]})`;
  return msg.split("\n")[0];
}

/**
 * Throws unless the package's native addon (`lib/napi-v*\/tfjs_binding.node`)
 * was built. Checked before importing, because a failed import leaves half its
 * kernels registered and the next attempt floods the console.
 */
function assertAddonBuilt(pkg: string): void {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`${pkg} is not installed`);
  }
  try {
    for (const e of Deno.readDirSync(join(dir, "lib"))) {
      if (!e.name.startsWith("napi-v")) continue;
      try {
        Deno.statSync(join(dir, "lib", e.name, "tfjs_binding.node"));
        return;
      } catch { /* try the next napi version */ }
    }
  } catch { /* no lib/ at all */ }
  throw new Error("tfjs_binding.node can not be found");
}

async function tryNode(name: "tfjs-node-gpu" | "tfjs-node"): Promise<string> {
  assertAddonBuilt(`@tensorflow/${name}`);
  // Both packages register the `tensorflow` backend on import and select it.
  if (name === "tfjs-node-gpu") await import("@tensorflow/tfjs-node-gpu");
  else await import("@tensorflow/tfjs-node");
  if (!(await tf.setBackend("tensorflow"))) throw new Error("tensorflow backend failed to initialise");
  return name === "tfjs-node-gpu" ? "libtensorflow + CUDA" : "libtensorflow CPU";
}

async function tryWasm(patched: boolean): Promise<string> {
  void wasmBackend; // imported for its registration side effect
  let detail = "stock kernels";
  if (patched) {
    const blas = loadOpenBlas();
    const k = installWasmKernels(blas);
    detail = blas instanceof Error
      ? `no OpenBLAS: ${blas.message}; matMul=stock SIMD`
      : `OpenBLAS ${blas.coreName} (${blas.coreTypeSource}), ${blas.threads} threads`;
    detail += `; replaced ${k.replaced.join(", ")}`;
    if (!(blas instanceof Error)) {
      const native = await installNative(blas.path);
      detail += native instanceof Error ? `; native kernels off: ${native.message}` : `; ${native}`;
    }
  }
  if (!(await tf.setBackend("wasm"))) throw new Error("wasm backend failed to initialise");
  return detail;
}

async function tryBackend(name: BackendName): Promise<string> {
  switch (name) {
    case "tfjs-node-gpu":
    case "tfjs-node":
      return await tryNode(name);
    case "wasm-blas":
      return await tryWasm(true);
    case "wasm":
      return await tryWasm(false);
    case "cpu":
      if (!(await tf.setBackend("cpu"))) throw new Error("cpu backend failed");
      return "stock JavaScript kernels";
    case "webgpu":
      return await initWebGpu();
  }
}

/**
 * Picks and initialises the best backend that loads (or the one forced by
 * `options.force` / `GRAVES_BACKEND`). Safe to call many times: the first
 * call decides, later calls return the same report.
 */
export async function initBackend(
  options: { force?: BackendName; quiet?: boolean } = {},
): Promise<BackendReport> {
  if (current) return current;
  const forced = options.force ?? (Deno.env.get("GRAVES_BACKEND") as BackendName | undefined);
  if (forced !== undefined && !FORCEABLE.includes(forced)) {
    throw new Error(`GRAVES_BACKEND=${forced}: expected one of ${FORCEABLE.join(", ")}`);
  }
  const order: readonly BackendName[] = forced ? [forced] : BACKENDS;
  const skipped: BackendReport["skipped"] = [];
  for (const name of order) {
    try {
      const detail = await tryBackend(name);
      await tf.ready();
      const skip = skipped.map((s) => `${s.name}: ${s.reason}`).join("; ");
      current = {
        name,
        tfName: tf.getBackend(),
        detail,
        skipped,
        line: `backend: ${name} (${detail})` + (skip ? ` — skipped ${skip}` : ""),
      };
      if (!options.quiet) console.log(current.line);
      return current;
    } catch (e) {
      if (forced) {
        throw new Error(`GRAVES_BACKEND=${forced} cannot load: ${reason(e)}`);
      }
      skipped.push({ name, reason: reason(e) });
    }
  }
  throw new Error(`no backend loaded: ${skipped.map((s) => `${s.name}: ${s.reason}`).join("; ")}`);
}

/** The report of the backend chosen by `initBackend`, if any. */
export function backendReport(): BackendReport | undefined {
  return current;
}
