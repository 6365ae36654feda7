/**
 * Kernels that make the stock tfjs `wasm` backend fit for training recurrent
 * networks on a CPU (measured facts in the project's design notes):
 *
 * - `BatchMatMul` → OpenBLAS `cblas_sgemm` on views of the wasm heap (no
 *   copies). Transposes are sgemm flags, so matMul gradients do not fall into
 *   the stock kernel's scalar path for transposed operands. Without OpenBLAS
 *   the stock SIMD kernel runs, with any transpose made explicit first.
 * - `Slice`, `Unpack`, `SplitV` → copies between heap regions of only the
 *   selected elements (the stock `Slice` reads the whole input out of the heap
 *   for every slice, so unstacking a [T, B, N] tensor cost T full copies).
 * - `Tanh` → 2σ(2x) − 1 through the stock `Sigmoid` (the stock `Tanh` is ~15× slower).
 * - `Identity` → a second reference to the same heap data, as the `cpu`
 *   backend does (the stock kernel copies; autograd clones every tensor it
 *   saves for the backward pass, ~5% of a training step here).
 *
 * @module
 */
import * as tf from "../tf.ts";
import type { OpenBlas } from "./openblas.ts";

/** The parts of tfjs-backend-wasm's `BackendWasm` these kernels use. */
export interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: unknown): void;
}

type KernelArgs = {
  inputs: Record<string, tf.TensorInfo>;
  backend: object;
  attrs?: tf.NamedAttrMap;
};

const BYTES: Partial<Record<tf.DataType, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
};

function offsetOf(backend: WasmBackendLike, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/**
 * Copies `x[begin : begin + size]` into a new heap tensor. Trailing dimensions
 * taken whole are merged into one contiguous run, so a slice along the first
 * axis is one `copyWithin`.
 */
export function heapSlice(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const n = tf.util.sizeFromShape(size);
  const bpe = BYTES[x.dtype];
  if (n === 0) return out;
  if (bpe === undefined) throw new Error(`heapSlice: dtype ${x.dtype}`);
  const heap = backend.wasm.HEAPU8; // read after makeOutput: the heap may grow
  const src = offsetOf(backend, x);
  const dst = offsetOf(backend, out);
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  // Longest contiguous run: innermost dims that are whole, plus one more.
  let inner = rank - 1;
  let run = size[rank - 1] ?? 1;
  while (inner > 0 && size[inner] === x.shape[inner]) {
    inner--;
    run *= size[inner];
  }
  if (rank === 0) run = 1;
  const outer = n / run;
  const idx = new Array(Math.max(inner, 0)).fill(0); // counters over dims < inner
  for (let r = 0; r < outer; r++) {
    let flat = inner >= 0 && rank > 0 ? begin[inner] * (strides[inner] ?? 1) : 0;
    for (let d = 0; d < inner; d++) flat += (begin[d] + idx[d]) * strides[d];
    const from = src + flat * bpe;
    heap.copyWithin(dst + r * run * bpe, from, from + run * bpe);
    for (let d = inner - 1; d >= 0; d--) {
      if (++idx[d] < size[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

function slice({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x;
  const [begin, size] = tf.slice_util.parseSliceParams(
    x as tf.Tensor,
    attrs!.begin as number[],
    attrs!.size as number[],
  );
  return heapSlice(backend as WasmBackendLike, x, begin, size);
}

function unpack({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const x = inputs.value;
  const rank = x.shape.length;
  const axis = ((attrs!.axis as number) + rank) % rank;
  const outShape = x.shape.filter((_, i) => i !== axis);
  const begin = new Array(rank).fill(0);
  const size = x.shape.slice();
  size[axis] = 1;
  const outs: tf.TensorInfo[] = [];
  for (let i = 0; i < x.shape[axis]; i++) {
    begin[axis] = i;
    const s = heapSlice(backend as WasmBackendLike, x, begin, size);
    outs.push({ dataId: s.dataId, dtype: s.dtype, shape: outShape });
  }
  return outs;
}

function splitV({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const x = inputs.x;
  const axis = tf.util.parseAxisParam(attrs!.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(
    x as tf.Tensor,
    attrs!.numOrSizeSplits as number[] | number,
    axis,
  );
  const begin = new Array(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = x.shape.slice();
    size[axis] = s;
    const out = heapSlice(backend as WasmBackendLike, x, begin, size);
    begin[axis] += s;
    return out;
  });
}

/** Shapes of a (possibly batched, possibly transposed) matMul. */
export interface MatMulDims {
  batch: number;
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
  outShape: number[];
}

/** Reads the dimensions of `op(a) · op(b)`; batch dims must match or be 1. */
export function matMulDims(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transA: boolean,
  transB: boolean,
): MatMulDims {
  const ra = a.shape.length, rb = b.shape.length;
  const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const kA = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kB = transB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (kA !== kB) {
    throw new Error(
      `matMul: inner dimensions differ: [${a.shape}]${transA ? "ᵀ" : ""} · [${b.shape}]${transB ? "ᵀ" : ""}`,
    );
  }
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw new Error(
      `matMul: batch dimensions [${a.shape.slice(0, -2)}] and [${b.shape.slice(0, -2)}] must match or be 1`,
    );
  }
  const outer = tf.backend_util.assertAndGetBroadcastShape(
    a.shape.slice(0, -2),
    b.shape.slice(0, -2),
  );
  return {
    batch: Math.max(batchA, batchB),
    batchA,
    batchB,
    m,
    n,
    k: kA,
    outShape: [...outer, m, n],
  };
}

/** `BatchMatMul` through OpenBLAS on the wasm heap. */
export function blasBatchMatMul(blas: OpenBlas) {
  return ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo => {
    const be = backend as WasmBackendLike;
    const { a, b } = inputs;
    if (a.dtype !== "float32" || b.dtype !== "float32") {
      throw new Error(`matMul needs float32, got ${a.dtype} and ${b.dtype}`);
    }
    const tA = Boolean(attrs!.transposeA), tB = Boolean(attrs!.transposeB);
    const d = matMulDims(a, b, tA, tB);
    const out = be.makeOutput(d.outShape, "float32");
    if (d.m * d.n === 0) return out;
    if (d.k === 0) {
      be.wasm.HEAPU8.fill(0, offsetOf(be, out), offsetOf(be, out) + 4 * d.m * d.n);
      return out;
    }
    // The heap's base address is read per call: memory growth moves it.
    const base = Deno.UnsafePointer.of(be.wasm.HEAPU8 as Uint8Array<ArrayBuffer>);
    const pa = offsetOf(be, a), pb = offsetOf(be, b), pc = offsetOf(be, out);
    const lda = tA ? d.m : d.k, ldb = tB ? d.k : d.n;
    for (let i = 0; i < d.batch; i++) {
      const ia = d.batchA === 1 ? 0 : i, ib = d.batchB === 1 ? 0 : i;
      blas.sgemm(
        tA,
        tB,
        d.m,
        d.n,
        d.k,
        Deno.UnsafePointer.offset(base!, pa + 4 * ia * d.m * d.k),
        lda,
        Deno.UnsafePointer.offset(base!, pb + 4 * ib * d.k * d.n),
        ldb,
        Deno.UnsafePointer.offset(base!, pc + 4 * i * d.m * d.n),
        d.n,
      );
    }
    return out;
  };
}

/**
 * The stock SIMD `BatchMatMul` with transposes made explicit (its transposed
 * path is scalar): the fallback when OpenBLAS is absent.
 */
export function explicitTransposeMatMul(stock: tf.KernelFunc) {
  return ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo => {
    const tA = Boolean(attrs!.transposeA), tB = Boolean(attrs!.transposeB);
    if (!tA && !tB) return stock({ inputs, backend, attrs }) as tf.TensorInfo;
    const be = backend as WasmBackendLike;
    const temps: tf.TensorInfo[] = [];
    const flip = (t: tf.TensorInfo) => {
      const r = t.shape.length;
      const perm = [...Array(r).keys()];
      [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
      const out = tf.engine().runKernel(
        tf.Transpose,
        { x: t as tf.Tensor },
        { perm },
      ) as tf.TensorInfo;
      temps.push(out);
      return out;
    };
    const a = tA ? flip(inputs.a) : inputs.a;
    const b = tB ? flip(inputs.b) : inputs.b;
    const out = stock({
      inputs: { a, b },
      backend,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    for (const t of temps) be.disposeData(t.dataId);
    return out;
  };
}

/**
 * `Tanh` as 2σ(2x) − 1 through the stock `Sigmoid` kernel: the stock wasm
 * `Tanh` is about 15× slower than its `Sigmoid` (11.4 ms against 0.77 ms on
 * [50, 32, 400] here), and the LSTM takes two tanh a step. Float32 error is
 * below 1e−7 absolute.
 */
export function tanhFromSigmoid(stockSigmoid: tf.KernelFunc) {
  return ({ inputs, backend }: KernelArgs): tf.TensorInfo => {
    const be = backend as WasmBackendLike;
    const x = inputs.x;
    if (x.dtype !== "float32") throw new Error(`tanh needs float32, got ${x.dtype}`);
    const n = tf.util.sizeFromShape(x.shape);
    const twice = be.makeOutput(x.shape, "float32");
    const f32 = () => new Float32Array(be.wasm.HEAPU8.buffer); // re-read: allocation may grow the heap
    let heap = f32();
    const xi = offsetOf(be, x) / 4, ti = offsetOf(be, twice) / 4;
    for (let i = 0; i < n; i++) heap[ti + i] = 2 * heap[xi + i];
    const s = stockSigmoid({ inputs: { x: twice }, backend }) as tf.TensorInfo;
    be.disposeData(twice.dataId);
    heap = f32();
    const si = offsetOf(be, s) / 4;
    for (let i = 0; i < n; i++) heap[si + i] = 2 * heap[si + i] - 1;
    return s;
  };
}

/** `Identity` (tf.clone) without a copy: tensors are immutable, so the clone shares the data. */
function identity({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const x = inputs.x;
  if (x.dtype === "string") throw new Error("identity: string tensors are not used here");
  (backend as WasmBackendLike & { incRef(id: unknown): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** What `installWasmKernels` replaced, for the backend report. */
export interface WasmKernelReport {
  matMul: "openblas" | "stock-simd-explicit-transpose";
  replaced: string[];
}

/**
 * Replaces the `wasm` backend's `BatchMatMul`, `Slice`, `Unpack`, `SplitV`,
 * `Tanh` and `Identity` kernels. Call before `tf.setBackend("wasm")`. Idempotent.
 */
export function installWasmKernels(blas: OpenBlas | Error): WasmKernelReport {
  const replace = (name: string, kernelFunc: tf.KernelFunc) => {
    const old = tf.getKernel(name, "wasm");
    if (old) tf.unregisterKernel(name, "wasm");
    tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc });
  };
  if (!installed) {
    const stock = tf.getKernel(tf.BatchMatMul, "wasm");
    if (!stock) throw new Error("the wasm backend is not registered");
    stockMatMul = stock;
    replace(tf.Slice, slice as unknown as tf.KernelFunc);
    replace(tf.Unpack, unpack as unknown as tf.KernelFunc);
    replace(tf.SplitV, splitV as unknown as tf.KernelFunc);
    const stockSigmoid = tf.getKernel(tf.Sigmoid, "wasm")!;
    replace(tf.Tanh, tanhFromSigmoid(stockSigmoid.kernelFunc) as unknown as tf.KernelFunc);
    replace(tf.Identity, identity as unknown as tf.KernelFunc);
    installed = true;
  }
  const useBlas = !(blas instanceof Error);
  const matMul = useBlas ? blasBatchMatMul(blas) : explicitTransposeMatMul(stockMatMul!.kernelFunc);
  tf.unregisterKernel(tf.BatchMatMul, "wasm");
  tf.registerKernel({
    kernelName: tf.BatchMatMul,
    backendName: "wasm",
    // The stock setup wires the stock kernel's C function; keep it for the fallback.
    setupFunc: stockMatMul!.setupFunc,
    kernelFunc: matMul as unknown as tf.KernelFunc,
  });
  return {
    matMul: useBlas ? "openblas" : "stock-simd-explicit-transpose",
    replaced: [tf.BatchMatMul, tf.Slice, tf.Unpack, tf.SplitV, tf.Tanh, tf.Identity],
  };
}

let installed = false;
let stockMatMul: tf.KernelConfig | undefined;
