/**
 * The tfjs kernel functions of the native kernels (`native.ts` builds, loads
 * and registers them): each allocates its outputs on the wasm heap and passes
 * heap pointers to the C function, which works in place.
 * @module
 */
import * as tf from "../tf.ts";
import type { WasmBackendLike } from "./wasm_kernels.ts";
import type { NativeLib } from "./native.ts";

/** Stands in for "no clipping": the kernels are built without infinities. */
const NO_CLIP = 3e38;

function offsetOf(be: WasmBackendLike, t: tf.TensorInfo, dtype: tf.DataType): number {
  if (t.dtype !== dtype) throw new Error(`a native kernel needs a ${dtype} tensor here, got ${t.dtype}`);
  return be.dataIdMap.get(t.dataId).memoryOffset;
}

/**
 * Pointers into the heap for each tensor, read after every allocation (the heap may move);
 * each tensor must be float32 unless `dtypes` names its type.
 */
export function pointers(
  be: WasmBackendLike,
  ts: tf.TensorInfo[],
  dtypes?: tf.DataType[],
): Deno.PointerValue[] {
  const base = Deno.UnsafePointer.of(be.wasm.HEAPU8 as Uint8Array<ArrayBuffer>)!;
  return ts.map((t, i) => Deno.UnsafePointer.offset(base, offsetOf(be, t, dtypes?.[i] ?? "float32")));
}

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: object; attrs?: tf.NamedAttrMap };

/** FFI functions take exact tuples; the kernels below pass checked pointer lists. */
type Variadic = (...args: (number | Deno.PointerValue)[]) => void;

export function forwardKernel(lib: NativeLib) {
  const forward = lib.graves_lstm_forward as unknown as Variadic;
  return ({ inputs, backend }: KernelArgs): tf.TensorInfo[] => {
    const be = backend as WasmBackendLike;
    const { zx, Wh, peep, h0, c0 } = inputs;
    const [T, B] = zx.shape, H = Wh.shape[0];
    const Hs = be.makeOutput([T, B, H], "float32");
    const C = be.makeOutput([T + 1, B, H], "float32");
    const A = be.makeOutput([T, B, 4 * H], "float32");
    forward(T, B, H, ...pointers(be, [zx, Wh, peep, h0, c0, Hs, C, A]));
    return [Hs, C, A];
  };
}

export function backwardKernel(lib: NativeLib) {
  const backward = lib.graves_lstm_backward as unknown as Variadic;
  return ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] => {
    const be = backend as WasmBackendLike;
    const { dH, dcT, Wh, peep, h0, C, A, Hs } = inputs;
    const [T, B, H] = dH.shape;
    const clip = Math.min(Number(attrs?.clip ?? Infinity), NO_CLIP);
    const outs = [[T, B, 4 * H], [H, 4 * H], [3, H], [B, H], [B, H]].map((s) => be.makeOutput(s, "float32"));
    const [pdH, ...rest] = pointers(be, [dH, Wh, peep, h0, C, A, Hs, ...outs]);
    backward(T, B, H, clip, pdH, dcT ? pointers(be, [dcT])[0] : null, ...rest);
    return outs; // dZ, dWh, dPeep, dh0, dc0
  };
}

export function windowForwardKernel(lib: NativeLib) {
  const forward = lib.graves_window_forward as unknown as Variadic;
  return ({ inputs, backend }: KernelArgs): tf.TensorInfo[] => {
    const be = backend as WasmBackendLike;
    const { zx, Ww, Wh, peep, Wp, bp, chars, h0, c0, kappa0, w0 } = inputs;
    const [T, B] = zx.shape, H = Wh.shape[0], K = Wp.shape[1] / 3, [, U, V] = chars.shape;
    const outs = [[T, B, H], [T + 1, B, H], [T, B, 4 * H], [T, B, V], [T, B, U], [T, B, K], [T, B, 3 * K]]
      .map((s) => be.makeOutput(s, "float32"));
    forward(
      T,
      B,
      H,
      K,
      U,
      V,
      ...pointers(be, [zx, Ww, Wh, peep, Wp, bp, chars, h0, c0, kappa0, w0, ...outs]),
    );
    return outs; // Hs, C, A, Ws, Phi, Kap, E
  };
}

export function windowBackwardKernel(lib: NativeLib) {
  const backward = lib.graves_window_backward as unknown as Variadic;
  return ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] => {
    const be = backend as WasmBackendLike;
    const { dH, dW, Ww, Wh, peep, Wp, chars, h0, w0, C, A, Hs, Ws, Kap, E } = inputs;
    const [T, B, H] = dH.shape, K = Wp.shape[1] / 3, [, U, V] = chars.shape;
    const clip = Math.min(Number(attrs?.clip ?? Infinity), NO_CLIP);
    const shapes = [[T, B, 4 * H], [V, 4 * H], [H, 4 * H], [3, H], [H, 3 * K], [3 * K], [B, H], [B, H], [
      B,
      K,
    ], [B, V]];
    const outs = shapes.map((s) => be.makeOutput(s, "float32"));
    const ins = [dH, dW, Ww, Wh, peep, Wp, chars, h0, w0, C, A, Hs, Ws, Kap, E];
    backward(T, B, H, K, U, V, clip, ...pointers(be, [...ins, ...outs]));
    return outs; // dZ, dWw, dWh, dPeep, dWp, dbp, dh0, dc0, dkappa0, dw0
  };
}

export function normalKernel(lib: NativeLib) {
  return ({ backend, attrs }: KernelArgs): tf.TensorInfo => {
    const be = backend as WasmBackendLike;
    const { shape, seed, std } = attrs as unknown as { shape: number[]; seed: number; std: number };
    const out = be.makeOutput(shape, "float32");
    lib.graves_normal(tf.util.sizeFromShape(shape), seed >>> 0, std, pointers(be, [out])[0]);
    return out;
  };
}

export function rmspropKernel(lib: NativeLib) {
  const rmsprop = lib.graves_rmsprop as unknown as Variadic;
  return ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] => {
    const be = backend as WasmBackendLike;
    const { w, eps, n, g, d } = inputs;
    const a = attrs as Record<string, number>;
    const outs = [w, n, g, d].map((t) => be.makeOutput(t.shape, "float32"));
    const size = tf.util.sizeFromShape(w.shape);
    rmsprop(
      size,
      a.decay,
      a.momentum,
      a.learningRate,
      a.epsilon,
      ...pointers(be, [w, eps, n, g, d, ...outs]),
    );
    return outs;
  };
}

/**
 * Eq 15's loss in nats per row of `logits` [N, K] at `targets` [N] (int32),
 * and with attrs `{ grad: true }` also ∂loss_n/∂ŷ_nk = softmax − one-hot [N, K].
 */
export function softmaxXentKernel(lib: NativeLib) {
  const xent = lib.graves_softmax_xent as unknown as Variadic;
  return ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] => {
    const be = backend as WasmBackendLike;
    const { logits, targets } = inputs;
    const [N, K] = logits.shape;
    const outs = [be.makeOutput([N], "float32"), ...(attrs?.grad ? [be.makeOutput([N, K], "float32")] : [])];
    const [pl, pt, ploss, pgrad] = pointers(be, [logits, targets, ...outs], ["float32", "int32"]);
    xent(N, K, pl, pt, ploss, pgrad ?? null);
    return outs;
  };
}

/** W [K, D] rows at `codes` [N] (int32) → [N, D]. */
export function gatherRowsKernel(lib: NativeLib) {
  return ({ inputs, backend }: KernelArgs): tf.TensorInfo => {
    const be = backend as WasmBackendLike;
    const { W, codes } = inputs;
    const [N, D] = [codes.shape[0], W.shape[1]];
    const out = be.makeOutput([N, D], "float32");
    const [pW, pc, pout] = pointers(be, [W, codes, out], ["float32", "int32"]);
    lib.graves_gather_rows(N, D, pW, pc, pout);
    return out;
  };
}

/** dy [N, D] summed onto the rows `codes` [N] (int32) of a zero [K, D], attrs `{ rows: K }`. */
export function scatterRowsKernel(lib: NativeLib) {
  return ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo => {
    const be = backend as WasmBackendLike;
    const { dy, codes } = inputs;
    const [N, D] = dy.shape, K = Number(attrs!.rows);
    const dW = be.makeOutput([K, D], "float32");
    const [pdy, pc, pdW] = pointers(be, [dy, codes, dW], ["float32", "int32"]);
    lib.graves_scatter_rows(N, D, K, pdy, pc, pdW);
    return dW;
  };
}

/** `Sum` over leading axes natively (no transpose); anything else goes to the stock kernel. */
export function sumKernel(lib: NativeLib, stock: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo => {
    const { inputs, backend, attrs } = args;
    const be = backend as WasmBackendLike;
    const x = inputs.x;
    const axes = tf.util.parseAxisParam(attrs!.axis as number | number[], x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
    if (x.dtype !== "float32" || !leading) return stock(args) as tf.TensorInfo;
    const kept = x.shape.slice(axes.length);
    const shape = attrs!.keepDims ? [...axes.map(() => 1), ...kept] : kept;
    const out = be.makeOutput(shape, "float32");
    const [px, po] = pointers(be, [x, out]);
    lib.graves_sum_leading(
      tf.util.sizeFromShape(x.shape.slice(0, axes.length)),
      tf.util.sizeFromShape(kept),
      px,
      po,
    );
    return out;
  };
}
