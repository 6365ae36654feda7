/**
 * Gaussian draws for weight noise (section 3.1) and adaptive weight noise:
 * the native kernel where it is loaded (a counter-based generator, ~10× faster
 * than tfjs's, which draws one number at a time in JavaScript), else
 * `tf.randomNormal`. The two give different (equally Gaussian) streams, each
 * reproducible from its seed.
 * @module
 */
import * as tf from "../tf.ts";
import { hasNativeKernel, NORMAL } from "../backend/native.ts";

/** N(0, std²) noise of `shape`, determined by `seed` (an unsigned 32-bit integer). */
export function gaussianNoise(shape: number[], std: number, seed: number): tf.Tensor {
  if (hasNativeKernel(NORMAL)) {
    return tf.engine().runKernel(NORMAL, {}, { shape, seed, std } as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return tf.randomNormal(shape, 0, std, "float32", seed);
}
