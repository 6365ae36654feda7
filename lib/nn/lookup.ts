/**
 * Rows of a weight matrix picked by symbol codes: W_x x_t for a one-hot x_t
 * is row x_t of W_x, so a 10,000-word input layer is a gather, never a dense
 * one-hot product (section 3.1's word-level networks). The gradient is the
 * scatter-add of the output gradient into those rows (written here, because
 * tfjs's own, `UnsortedSegmentSum`, is missing from the wasm backend). Where
 * the backend has the native row kernels (`lib/backend/native/lookup.c`),
 * both copy and add whole rows.
 * @module
 */
import * as tf from "../tf.ts";
import { GATHER_ROWS, hasNativeKernel, SCATTER_ROWS } from "../backend/native.ts";

/**
 * W[codes[n]] for every n: [N, D] from W [K, D] and codes [N] (int32).
 * Identical to `matMul(oneHot(codes, K), W)`; the gradient reaches W only.
 *
 * @example
 * ```ts
 * import * as tf from "../tf.ts";
 * import { lookupRows } from "./lookup.ts";
 * const W = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
 * lookupRows(W, tf.tensor1d([2, 0], "int32")).print(); // [[5, 6], [1, 2]]
 * ```
 */
export function lookupRows(W: tf.Tensor, codes: tf.Tensor): tf.Tensor {
  const [K, D] = W.shape as [number, number];
  const native = hasNativeKernel(GATHER_ROWS) && hasNativeKernel(SCATTER_ROWS);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [w, ids] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    save([ids]);
    return {
      value: native
        ? tf.engine().runKernel(GATHER_ROWS, { W: w, codes: ids }) as tf.Tensor
        : tf.gather(w, ids),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // dW[k] = Σ_{n: codes[n] = k} dy[n]
        if (native) {
          const dW = tf.engine().runKernel(SCATTER_ROWS, { dy, codes: saved[0] }, { rows: K }) as tf.Tensor;
          return [dW, tf.zerosLike(saved[0])];
        }
        const n = saved[0].dataSync() as Int32Array, g = dy.dataSync() as Float32Array;
        const dW = new Float32Array(K * D);
        for (let r = 0; r < n.length; r++) {
          const to = n[r] * D, from = r * D;
          for (let j = 0; j < D; j++) dW[to + j] += g[from + j];
        }
        return [tf.tensor2d(dW, [K, D]), tf.zerosLike(saved[0])];
      },
    };
  });
  return op(W, checkedCodes(codes, K, "rows of W"));
}

/**
 * `codes` as int32, each checked to lie in [0, K): a kernel that indexes by
 * them must never read outside its tensor. `what` names the K things in the
 * error, e.g. "rows of W".
 */
export function checkedCodes(codes: tf.Tensor, K: number, what: string): tf.Tensor {
  const ids = codes.dtype === "int32" ? codes : tf.cast(codes, "int32");
  for (const k of ids.dataSync()) {
    if (!(k >= 0 && k < K)) throw new RangeError(`symbol code ${k} outside the ${K} ${what}`);
  }
  return ids;
}
