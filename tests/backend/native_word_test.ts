/**
 * The word network's native kernels against the tfjs ops they replace: the fused softmax
 * cross-entropy (`GravesSoftmaxXent`, `lib/backend/native/train.c`) against eq 15 (the loss per
 * row, its mean in bits, the gradient through `bitsPerSymbol`, NaN logits, targets outside the
 * outputs, no tensor left behind), and the row lookup (`GravesGatherRows` / `GravesScatterRows`,
 * `lib/backend/native/lookup.c`) against `tf.gather` and a one-hot product's gradient.
 */
import * as tf from "../../lib/tf.ts";
import assert from "node:assert/strict";
import { GATHER_ROWS, SCATTER_ROWS, SOFTMAX_XENT } from "../../lib/backend/native.ts";
import { lookupRows } from "../../lib/nn/lookup.ts";
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
  fn: async () => {
    const { y, t } = inputs();
    const p = await tf.profile(() => tf.tidy(() => void bitsPerSymbol(y, t).dataSync()));
    const run = p.kernels.map((k) => k.name);
    assert.ok(run.includes(SOFTMAX_XENT), `kernels run: ${run.join(", ")}`);
    assert.ok(!run.includes("LogSoftmax") && !run.includes("OneHot"), `kernels run: ${run.join(", ")}`);
    tf.dispose([y, t]);
  },
});

Deno.test({
  name:
    "native row lookup: gather and its scatter-add gradient equal tf.gather and the one-hot product's (repeats summed)",
  ignore: !native,
  fn: async () => {
    const [K, D] = [11, 37];
    const W = tf.tensor2d(randomArray(K * D, 5), [K, D]);
    const codes = tf.tensor1d([3, 0, 10, 3, 7, 3], "int32");
    const dy = tf.tensor2d(randomArray(6 * D, 6), [6, D]);
    assertNoLeak(() =>
      tf.tidy(() => {
        assertClose(lookupRows(W, codes).dataSync(), tf.gather(W, codes).dataSync(), {
          atol: 0,
          what: "rows",
        });
        const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(lookupRows(w, codes), dy)))(W).dataSync();
        const hot = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.matMul(tf.oneHot(codes, K), w), dy)))(W)
          .dataSync();
        assertClose(g, hot, { atol: 1e-6, what: "∂/∂W" });
      }), "lookup and gradient");
    const p = await tf.profile(() =>
      tf.tidy(() => void tf.grad((w: tf.Tensor) => tf.sum(lookupRows(w, codes)))(W).dataSync())
    );
    const run = p.kernels.map((k) => k.name);
    assert.ok(
      run.includes(GATHER_ROWS) && run.includes(SCATTER_ROWS) && !run.includes("GatherV2"),
      run.join(", "),
    );
    tf.dispose([W, codes, dy]);
  },
});
