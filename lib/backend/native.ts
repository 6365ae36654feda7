/**
 * Native kernels of the offline CPU path, compiled once from `native/*.c`
 * with the system C compiler, loaded through Deno's FFI and registered on the
 * tfjs `wasm` backend. They read and write the wasm heap in place (no copies)
 * and call the OpenBLAS the backend already loaded:
 *
 * - `GravesLstmForward` / `GravesLstmBackward` (`native/lstm.c`): eqs 7-11 and
 *   their backpropagation through time, one call per sequence each way
 *   instead of ~35 small tfjs ops per time step;
 * - `GravesWindowForward` / `GravesWindowBackward` (`native/window.c`): the
 *   synthesis network's layer 1 with its soft window (eqs 46-51) over a
 *   sequence, each way in one call;
 * - `GravesRmsProp` (`native/train.c`): eqs 39-42 in one pass per parameter;
 * - `GravesGatherRows` / `GravesScatterRows` (`native/lookup.c`): a word
 *   network's input lookup and its gradient, whole rows at a time;
 * - `GravesSoftmaxXent` (`native/train.c`): eq 15's loss per row and its
 *   gradient in one pass over the logits (a word network's output);
 * - `GravesNormal` (`native/train.c`): the Gaussian draws of weight noise;
 * - `Sum` over leading axes (bias gradients), which the stock kernel runs by
 *   transposing first; other reductions go to the stock kernel;
 * - `nativeSampleStep` (`native/sample.c`): the whole sampling step of the
 *   synthesis or prediction network for one line, called directly (not a
 *   tfjs kernel).
 *
 * The library is cached in `GRAVES_CACHE/native/` under a hash of the source,
 * the flags, the compiler and the CPU, and rebuilt when any of them changes.
 * `CC` picks the compiler (default `cc`); `GRAVES_NATIVE=0` turns the
 * kernels off (the tfjs ops of `lib/nn/lstm_sequence.ts` and the optimiser
 * then run, as on every other backend).
 * @module
 */
import * as tf from "../tf.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDir, exists } from "../util/paths.ts";
import type { WasmBackendLike } from "./wasm_kernels.ts";
import {
  GATHER_ROWS,
  LSTM_BACKWARD,
  LSTM_FORWARD,
  NORMAL,
  RMSPROP,
  SCATTER_ROWS,
  SOFTMAX_XENT,
  WINDOW_BACKWARD,
  WINDOW_FORWARD,
} from "./kernel_names.ts";
import {
  backwardKernel,
  forwardKernel,
  gatherRowsKernel,
  normalKernel,
  pointers,
  rmspropKernel,
  scatterRowsKernel,
  softmaxXentKernel,
  sumKernel,
  windowBackwardKernel,
  windowForwardKernel,
} from "./native_kernels.ts";

export * from "./kernel_names.ts";

const SOURCES = ["native/lstm.c", "native/window.c", "native/train.c", "native/lookup.c", "native/sample.c"]
  .map((f) => new URL(f, import.meta.url));
/** Headers the sources include: hashed with them, not compiled on their own. */
const HEADERS = ["native/graves_math.h", "native/graves_blas.h"].map((f) => new URL(f, import.meta.url));
/**
 * Finite-math flags let the clamps and exp_f vectorise; a NaN still stays a
 * NaN through the kernels, as through tfjs's ops (`nan_f` in `graves_math.h`
 * reads the bits), so that a diverged run is seen (`lib/train/divergence.ts`).
 */
const FLAGS = [
  "-O3",
  `-march=${nativeTarget()}`,
  "-fopenmp-simd",
  "-fno-math-errno",
  "-fno-trapping-math",
  "-ffinite-math-only",
  "-fno-signed-zeros",
  "-fPIC",
  "-shared",
];

/**
 * The CPU the kernels are compiled for: `GRAVES_NATIVE_MARCH` (e.g.
 * `x86-64-v3`, which `deno task notebooks` sets so that every x86-64 machine
 * with AVX2 computes the same bits), default `native` (this CPU, fastest).
 */
export function nativeTarget(): string {
  const m = Deno.env.get("GRAVES_NATIVE_MARCH") ?? "native";
  if (!/^[\w.-]+$/.test(m)) {
    throw new Error(`GRAVES_NATIVE_MARCH=${m}: expected a -march value such as x86-64-v3`);
  }
  return m;
}

const P = "pointer" as const;
const SYMBOLS = {
  graves_lstm_init: { parameters: ["buffer"], result: "i32" },
  graves_lstm_forward: { parameters: ["i32", "i32", "i32", P, P, P, P, P, P, P, P], result: "void" },
  graves_lstm_backward: {
    parameters: ["i32", "i32", "i32", "f32", P, P, P, P, P, P, P, P, P, P, P, P, P],
    result: "void",
  },
  graves_window_forward: {
    parameters: ["i32", "i32", "i32", "i32", "i32", "i32", ...Array(18).fill(P)],
    result: "void",
  },
  graves_window_backward: {
    parameters: ["i32", "i32", "i32", "i32", "i32", "i32", "f32", ...Array(25).fill(P)],
    result: "void",
  },
  graves_normal: { parameters: ["i32", "u32", "f32", P], result: "void" },
  graves_sum_leading: { parameters: ["i32", "i32", P, P], result: "void" },
  graves_gather_rows: { parameters: ["i32", "i32", P, P, P], result: "void" },
  graves_scatter_rows: { parameters: ["i32", "i32", "i32", P, P, P], result: "void" },
  graves_softmax_xent: { parameters: ["i32", "i32", P, P, P, P], result: "void" },
  graves_rmsprop: {
    parameters: ["i32", "f32", "f32", "f32", "f32", P, P, P, P, P, P, P, P, P],
    result: "void",
  },
  graves_sample_step: {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "void",
  },
} as const;

async function sha256(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

async function run(cmd: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { ok: r.success, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
  } catch (e) {
    return { ok: false, out: (e as Error).message };
  }
}

/**
 * Compiles `native/*.c` unless a build for these sources, compiler and CPU is
 * cached; returns the library's path or an `Error` saying why not (never throws).
 */
export async function buildNative(): Promise<string | Error> {
  const cc = Deno.env.get("CC") ?? "cc";
  const version = await run(cc, ["--version"]);
  if (!version.ok) return new Error(`no C compiler (${cc}: ${version.out.split("\n")[0]})`);
  const source = (await Promise.all([...SOURCES, ...HEADERS].map((u) => Deno.readTextFile(u)))).join("\n");
  let cpu = "";
  try {
    cpu = Deno.readTextFileSync("/proc/cpuinfo").match(/^(model name|flags)\s*:.*$/gm)?.join("\n") ?? "";
  } catch { /* not Linux: the compiler's -march=native still decides */ }
  const key = await sha256([source, FLAGS.join(" "), version.out, cpu, Deno.build.target].join("\0"));
  const dir = join(cacheDir(), "native");
  const lib = join(dir, `graves-${key}.so`);
  if (exists(lib)) return lib;
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${lib}.${Deno.pid}.tmp`;
  const r = await run(cc, [...FLAGS, "-o", tmp, ...SOURCES.map((u) => fileURLToPath(u)), "-lm"]);
  if (!r.ok) {
    await Deno.remove(tmp).catch(() => {});
    return new Error(`${cc} failed on native/*.c: ${r.out.trim().split("\n").slice(0, 3).join(" ")}`);
  }
  await Deno.rename(tmp, lib); // atomic: a concurrent build writes the same bytes
  for (const e of Deno.readDirSync(dir)) { // older builds (a running process keeps its mapped copy)
    if (/^graves.*\.so$/.test(e.name) && join(dir, e.name) !== lib) Deno.removeSync(join(dir, e.name));
  }
  return lib;
}

/** The loaded library's functions (for `native_kernels.ts`). */
export type NativeLib = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/**
 * Builds (or finds) and loads the native kernels and registers them on the
 * `wasm` backend, binding the OpenBLAS at `blasPath`. Returns a one-line
 * description for the backend report, or an `Error` saying why they are off.
 */
export async function installNative(blasPath: string): Promise<string | Error> {
  if (Deno.env.get("GRAVES_NATIVE") === "0") return new Error("disabled by GRAVES_NATIVE=0");
  const path = await buildNative();
  if (path instanceof Error) return path;
  let lib: NativeLib;
  try {
    lib = Deno.dlopen(path, SYMBOLS).symbols;
  } catch (e) {
    return new Error(`could not load ${path}: ${(e as Error).message.split("\n")[0]}`);
  }
  const rc = lib.graves_lstm_init(new TextEncoder().encode(blasPath + "\0"));
  if (rc !== 0) return new Error(`native/lstm.c could not bind cblas_sgemm from ${blasPath} (code ${rc})`);
  loaded = lib;
  stockSum ??= tf.getKernel(tf.Sum, "wasm")!;
  const kernels = [
    [LSTM_FORWARD, forwardKernel(lib)],
    [LSTM_BACKWARD, backwardKernel(lib)],
    [WINDOW_FORWARD, windowForwardKernel(lib)],
    [WINDOW_BACKWARD, windowBackwardKernel(lib)],
    [RMSPROP, rmspropKernel(lib)],
    [NORMAL, normalKernel(lib)],
    [SOFTMAX_XENT, softmaxXentKernel(lib)],
    [GATHER_ROWS, gatherRowsKernel(lib)],
    [SCATTER_ROWS, scatterRowsKernel(lib)],
    [tf.Sum, sumKernel(lib, stockSum.kernelFunc)],
  ] as const;
  for (const [name, fn] of kernels) {
    if (tf.getKernel(name, "wasm")) tf.unregisterKernel(name, "wasm");
    tf.registerKernel({
      kernelName: name,
      backendName: "wasm",
      kernelFunc: fn as unknown as tf.KernelFunc,
      // the stock setup binds the stock C function that the fallback calls
      setupFunc: name === tf.Sum ? stockSum.setupFunc : undefined,
    });
  }
  return `native kernels (${kernels.map((k) => k[0]).join(", ")})`;
}

let stockSum: tf.KernelConfig | undefined;
let loaded: NativeLib | undefined;

/** True when the active backend has the native kernel `name` (e.g. `LSTM_FORWARD`, `RMSPROP`). */
export function hasNativeKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** Sizes of a network for `nativeSampleStep` (see `native/sample.c`; K = V = 0: no window). */
export interface SampleStepDims {
  H: number;
  /** Hidden layers. */
  N: number;
  /** Character classes. */
  V: number;
  /** Window Gaussians. */
  K: number;
  /** Output units, 1 + 6M. */
  Y: number;
}

/** Buffers of one line's sampling state, updated in place by each step. */
export interface SampleStepState {
  h: Float32Array;
  c: Float32Array;
  kappa: Float32Array;
  w: Float32Array;
  /** ŷ [Y] then φ(t, u) [U] after each step. */
  out: Float32Array;
}

/**
 * The sampling step of `native/sample.c` (one line, no gradients), when the
 * native kernels are loaded and `wasm` is the active backend; `undefined`
 * otherwise. `weights` are float32 tensors in the order that file lists
 * (`undefined` for the window's entries of a network without one); their heap
 * addresses are read at every call.
 */
export function nativeSampleStep(
  d: SampleStepDims,
  weights: (tf.Tensor | undefined)[],
  codes: Int32Array,
): ((x: Float32Array, s: SampleStepState) => void) | undefined {
  if (!loaded || tf.getBackend() !== "wasm" || !hasNativeKernel(LSTM_FORWARD)) return undefined;
  const step = loaded.graves_sample_step;
  const be = tf.backend() as unknown as WasmBackendLike;
  const table = new BigUint64Array(weights.length);
  const present = weights.flatMap((t, i) => (t ? [[t, i] as const] : []));
  return (x, s) => {
    const at = pointers(be, present.map(([t]) => t));
    present.forEach(([, i], j) => table[i] = BigInt(Deno.UnsafePointer.value(at[j])));
    step(d.H, d.N, d.V, d.K, codes.length, d.Y, codes, table, x, s.h, s.c, s.kappa, s.w, s.out);
  };
}
