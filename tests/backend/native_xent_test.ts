/**
 * The fused softmax cross-entropy kernel (`GravesSoftmaxXent`, `lib/backend/native/train.c`)
 * against eq 15 written with tfjs ops: the loss per row, its mean in bits, the gradient a
 * training step takes through `bitsPerSymbol`, NaN logits, targets outside the outputs, and
 * no tensor left behind.
 */
import * as tf from "../../lib/tf.ts";
import assert from "node:assert/strict";
import { SOFTMAX_XENT } from "../../lib/backend/native.ts";
import { bitsPerPosition, bitsPerSymbol } from "../../lib/nn/softmax.ts";
import { assertClose, assertNoLeak, randomArray } from "../helpers/tf.ts";
import { native } from "../helpers/native.ts";

const [N, K] = [13, 37]; // K not a multiple of the vector width: the loop tails run too

/** Logits up to ±30 (far from the max: e^{ŷ−max} underflows) and targets that hit both ends. */
function inputs() {
  const y = tf.mul(tf.tensor2d(randomArray(N * K, 7), [N, K]), 30) as tf.Tensor2D;
  const t = tf.tensor1d(Int32Array.from({ length: N }, (_, n) => (n * 11) % K).fill(K - 1, 0, 1), "int32");
  return { y, t };
}

/** Eq 15 with tfjs ops only: −log₂ softmax(ŷ)[target] per row. */
const reference = (y: tf.Tensor, t: tf.Tensor) =>
  tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(y), tf.oneHot(t, K)), -1)), Math.LN2);

Deno.test({
  name: "fused softmax cross-entropy: per-row bits, mean bits and the gradient equal eq 15's tfjs ops",
  ignore: !native,
  fn: () => {
    const { y, t } = inputs();
    assertNoLeak(() =>
      tf.tidy(() => {
        assertClose(bitsPerPosition(y, t).dataSync(), reference(y, t).dataSync(), { what: "per row" });
        assertClose([bitsPerSymbol(y, t).dataSync()[0]], [tf.mean(reference(y, t)).dataSync()[0]], {
          what: "mean",
        });
        const fused = tf.grad((l: tf.Tensor) => tf.mul(bitsPerSymbol(l, t), 3))(y).dataSync();
        const ops = tf.grad((l: tf.Tensor) => tf.mul(tf.mean(reference(l, t)), 3))(y).dataSync();
        assertClose(fused, ops, { atol: 1e-6, what: "∂/∂ŷ of the mean" });
      }), "fused loss and gradient");
    tf.dispose([y, t]);
  },
});

Deno.test({
  name: "fused softmax cross-entropy: a NaN logit gives a NaN loss; a target outside the outputs is refused",
  ignore: !native,
  fn: () => {
    const { y, t } = inputs();
    tf.tidy(() => {
      const bad = tf.where(tf.equal(tf.range(0, N * K).reshape([N, K]), 5), tf.fill([N, K], NaN), y);
      const bits = bitsPerPosition(bad, t).dataSync();
      assert.ok(Number.isNaN(bits[0]), `row 0 holds the NaN: ${bits[0]}`);
      assert.ok(bits.slice(1).every(Number.isFinite), "the other rows stay finite");
      assert.throws(
        () => bitsPerSymbol(y, tf.tensor1d([...t.dataSync()].with(4, K), "int32")),
        /outside the 37/,
      );
      assert.throws(() => bitsPerPosition(y, tf.tensor1d([...t.dataSync()].with(2, -1), "int32")), /outside/);
    });
    tf.dispose([y, t]);
  },
});

Deno.test({
  name: "fused softmax cross-entropy is the kernel bitsPerSymbol runs on this backend",
  ignore: !native,
  fn: () => {
    const { y, t } = inputs();
    const seen: string[] = [];
    const profile = tf.profile(() => tf.tidy(() => void bitsPerSymbol(y, t).dataSync()));
    return profile.then((p) => {
      seen.push(...p.kernels.map((k) => k.name));
      assert.ok(seen.includes(SOFTMAX_XENT), `kernels run: ${seen.join(", ")}`);
      assert.ok(!seen.includes("LogSoftmax") && !seen.includes("OneHot"), `kernels run: ${seen.join(", ")}`);
      tf.dispose([y, t]);
    });
  },
});
