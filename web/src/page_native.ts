/**
 * The page's stand-in for `lib/backend/native.ts` (the esbuild step of
 * `deno task serve` swaps it in). A page has no native training kernels, but
 * it can run the same sampling step: `native/sample.c`, compiled to
 * WebAssembly (SIMD) when the page is built, behind the same
 * `nativeSampleStep` the library's `nativeStepper` calls. Without the module
 * (no clang at build time) every step runs as tfjs ops.
 * @module
 */
import type * as tf from "../../lib/tf.ts";
// types only (erased by the bundler): the same signature as the native step it stands in for
import type { SampleStepDims, SampleStepState } from "../../lib/backend/native.ts";

export * from "../../lib/backend/kernel_names.ts";
/** No training kernel is native in a page. */
export const hasNativeKernel = (_name: string): boolean => false;

interface SampleExports {
  memory: WebAssembly.Memory;
  malloc(bytes: number): number;
  free(ptr: number): void;
  graves_sample_step(...args: number[]): void;
}

let wasm: SampleExports | undefined;
const copied = new Map<tf.Tensor, number>(); // weights live in the module's memory once per page

/** Loads `sample.wasm` (built beside the page); false where it is missing: the page then samples with tfjs ops. */
export async function loadSampleWasm(url: string): Promise<boolean> {
  try {
    const r = await fetch(url);
    if (!r.ok) return false;
    const { instance } = await WebAssembly.instantiate(await r.arrayBuffer(), {});
    wasm = instance.exports as unknown as SampleExports;
    return true;
  } catch {
    return false;
  }
}

/** "wasm" when sampling runs through `sample.wasm`, else "ops". */
export const pageSampler = (): "wasm" | "ops" => (wasm ? "wasm" : "ops");

function put(data: ArrayLike<number>, kind: "f32" | "i32"): number {
  const ptr = wasm!.malloc(4 * Math.max(1, data.length));
  if (kind === "f32") new Float32Array(wasm!.memory.buffer, ptr, data.length).set(data);
  else new Int32Array(wasm!.memory.buffer, ptr, data.length).set(data);
  return ptr;
}

/**
 * The step of `native/sample.c` in WebAssembly, with the signature of
 * `lib/backend/native.ts`'s; `undefined` where the module is not loaded.
 */
export function nativeSampleStep(
  d: SampleStepDims,
  weights: (tf.Tensor | undefined)[],
  codes: Int32Array,
): ((x: Float32Array, s: SampleStepState) => void) | undefined {
  if (!wasm) return undefined;
  const m = wasm;
  const table = weights.map((t) => {
    if (!t) return 0;
    if (!copied.has(t)) copied.set(t, put(t.dataSync() as Float32Array, "f32"));
    return copied.get(t)!;
  });
  const tablePtr = put(table, "i32"), codesPtr = put(codes, "i32");
  const NH = d.N * d.H, outLength = d.Y + codes.length;
  // x [3], h, c [N·H], κ [K], w [V], out [Y + U], one block
  const block = m.malloc(4 * (3 + 2 * NH + d.K + d.V + outLength));
  const at = { x: block, h: block + 12, c: block + 12 + 4 * NH, kappa: block + 12 + 8 * NH };
  const wAt = at.kappa + 4 * d.K, outAt = wAt + 4 * d.V;
  return (x, s) => {
    const mem = new Float32Array(m.memory.buffer);
    mem.set(x, at.x / 4);
    mem.set(s.h, at.h / 4);
    mem.set(s.c, at.c / 4);
    mem.set(s.kappa, at.kappa / 4);
    mem.set(s.w, wAt / 4);
    m.graves_sample_step(
      d.H,
      d.N,
      d.V,
      d.K,
      codes.length,
      d.Y,
      codesPtr,
      tablePtr,
      at.x,
      at.h,
      at.c,
      at.kappa,
      wAt,
      outAt,
    );
    const after = new Float32Array(m.memory.buffer); // the step's malloc may have grown the memory
    s.h.set(after.subarray(at.h / 4, at.h / 4 + NH));
    s.c.set(after.subarray(at.c / 4, at.c / 4 + NH));
    s.kappa.set(after.subarray(at.kappa / 4, at.kappa / 4 + d.K));
    s.w.set(after.subarray(wAt / 4, wAt / 4 + d.V));
    s.out.set(after.subarray(outAt / 4, outAt / 4 + outLength));
  };
}
