/**
 * Where RMSProp's stabiliser ℸ sets the step: the share of weights whose
 * gradient variance n − g² is below ℸ, read from RmsProp's own slots and
 * printed by `deno task inspect`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { stabiliserShare } from "../../lib/analysis/rmsprop_scale.ts";
import { RmsProp, RMSPROP_PAPER } from "../../lib/train/optimizers.ts";
import { saveCheckpoint } from "../../lib/runs/checkpoint.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";

await useProjectBackend();

Deno.test("stabiliserShare: share of weights with n − g² < ℸ and their median spread", () => {
  const slots = {
    "n/a": tf.tensor1d([1e-6, 1e-2, 3e-4, 5e-5, 1e-4]),
    "g/a": tf.tensor1d([0, 0, 0, 0, 0.01001]), // the last: g² > n by rounding, a spread of 0
    "n/b": tf.tensor1d([1]),
    "g/b": tf.tensor1d([0]),
  };
  const [a, b] = stabiliserShare(slots, 1e-4);
  assert.equal(a.param, "a");
  assert.equal(a.weights, 5);
  assert.equal(a.shareBelow, 3 / 5); // 1e-6, 5e-5 and the negative estimate
  assert.ok(Math.abs(a.medianSpread - Math.sqrt(5e-5)) < 1e-7, `${a.medianSpread}`);
  assert.deepEqual([b.param, b.shareBelow, b.medianSpread], ["b", 0, 1]);
  assert.equal(stabiliserShare(slots, 2)[1].shareBelow, 1);
  assert.throws(() => stabiliserShare({ "g/a": slots["g/a"] }, 1e-4), /no RMSProp slots/);
  tf.dispose(Object.values(slots));
});

Deno.test("stabiliserShare on RmsProp's slots: a steady small gradient falls below ℸ, a noisy one does not", () => {
  const vars = { steady: tf.variable(tf.zeros([4])), noisy: tf.variable(tf.zeros([4])) };
  const opt = new RmsProp(RMSPROP_PAPER);
  for (let i = 0; i < 200; i++) {
    const grads = { steady: tf.fill([4], 1e-3), noisy: tf.fill([4], i % 2 ? 1 : -1) };
    opt.apply(vars, grads);
    tf.dispose(Object.values(grads));
  }
  const rows = Object.fromEntries(
    stabiliserShare(opt.slots(), RMSPROP_PAPER.epsilon).map((r) => [r.param, r]),
  );
  assert.equal(rows.steady.shareBelow, 1);
  assert.equal(rows.noisy.shareBelow, 0);
  assert.ok(rows.noisy.medianSpread > 0.9, `${rows.noisy.medianSpread}`); // ±1 alternating: spread ≈ 1
  tf.dispose([...Object.values(vars), ...Object.values(opt.slots())]);
});

Deno.test("deno task inspect: the run's record and the ℸ table; --epsilon asks another ℸ; old records read; no slots is an error", async () => {
  const dir = await Deno.makeTempDir();
  const hyper = { ...RMSPROP_PAPER };
  const t = {
    "param/w": tf.tensor1d([0.1, 0.2]),
    "opt/n/w": tf.tensor1d([1e-6, 1e-2]),
    "opt/g/w": tf.tensor1d([0, 0]),
    "opt/delta/w": tf.tensor1d([0, 0]),
  };
  const meta = {
    experiment: "ptb",
    epochs: 1.5,
    seconds: 7200,
    optimizer: { name: "rmsprop", hyper },
    evals: [{ step: 40, epochs: 1.4, loss: 2, seconds: 7000, valid_bpc: 1.234567 }],
  };
  await saveCheckpoint(dir, 42, t, meta);
  const bare = await Deno.makeTempDir();
  await saveCheckpoint(bare, 1, { "param/w": t["param/w"] }, meta);
  tf.dispose(Object.values(t));
  const cli = async (...args: string[]) => {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(PROJECT_ROOT, "lib", "cli", "inspect.ts"), ...args],
      env: { NO_COLOR: "1" },
    }).output();
    return {
      ok: r.success,
      out: new TextDecoder().decode(r.stdout),
      err: new TextDecoder().decode(r.stderr),
    };
  };
  const r = await cli(dir);
  assert.ok(r.ok, r.err);
  assert.match(r.out, /ptb, step 42, 1\.50 epochs, 2\.0 h/);
  assert.match(r.out, /in-run evaluations recorded while training \(1\):\n {2}step 40: valid_bpc 1\.2346\n/);
  assert.match(r.out, /\| w \| 2 \| 5\.05e-2 \| 50% \|/);
  assert.match(r.out, /all weights: 50% of 2 below ℸ/);
  const other = await cli(dir, "--epsilon", "1");
  assert.match(other.out, /\| w \| 2 \| 5\.05e-2 \| 100% \|/);
  assert.equal((await cli(dir, "--daleth", "1")).out, other.out, "ℸ's old flag name still works");
  // a record written before the settings were renamed: ℵ ℶ ℷ ℸ as aleph, beth, gimel, daleth
  const legacy = await Deno.makeTempDir();
  const old = { aleph: 0.95, beth: 0.9, gimel: 1e-4, daleth: 1e-4 };
  const t2 = {
    "param/w": tf.tensor1d([0.1, 0.2]),
    "opt/n/w": tf.tensor1d([1e-6, 1e-2]),
    "opt/g/w": tf.tensor1d([0, 0]),
    "opt/delta/w": tf.tensor1d([0, 0]),
  };
  await saveCheckpoint(legacy, 42, t2, { ...meta, optimizer: { name: "rmsprop", hyper: old } });
  tf.dispose(Object.values(t2));
  const read = await cli(legacy);
  assert.ok(read.ok, read.err);
  assert.match(read.out, /all weights: 50% of 2 below ℸ/);
  assert.match(read.out, /"learningRate":0\.0001/);
  const none = await cli(bare);
  assert.ok(!none.ok);
  assert.match(none.err, /no RMSProp slots/);
  assert.ok(!(await cli(dir, "--daleth", "-1")).ok);
});
