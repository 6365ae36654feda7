/**
 * Optimiser settings are typed in profiles and read from records by one
 * reader: the shipped manifests carry the readable names, a run folder from
 * before the rename still reads, and an incomplete record is refused by name.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import { optimizerFrom, optimizerRecord, RMSPROP_PAPER } from "../../lib/train/optimizers.ts";

const LEGACY = /"(aleph|beth|gimel|daleth|lr)"\s*:|hyper\.(aleph|beth|gimel|daleth|lr)=/;

Deno.test("optimizer records: the shipped manifests name every setting readably (decay, momentum, learningRate, epsilon)", () => {
  for (const exp of ["ptb", "wikipedia", "handwriting", "synthesis"]) {
    const root = join(PROJECT_ROOT, "results", "checkpoints", exp);
    const latest = JSON.parse(Deno.readTextFileSync(join(root, "latest.json")));
    const text = Deno.readTextFileSync(join(root, latest.path, "model.json"));
    assert.ok(!LEGACY.test(text), `${exp}: a pre-rename setting name in its model.json`);
    const meta = JSON.parse(text).meta;
    assert.deepEqual(
      Object.keys(optimizerRecord(meta.optimizer).hyper).sort(),
      Object.keys(meta.optimizer.hyper).sort(),
    );
  }
});

Deno.test("optimizer records: pre-rename names read as readable ones; incomplete or unknown refused by name", () => {
  const old = optimizerRecord({
    name: "rmsprop",
    hyper: { aleph: 0.95, beth: 0.9, gimel: 1e-4, daleth: 1e-4 },
  });
  assert.deepEqual(old, { name: "rmsprop", hyper: RMSPROP_PAPER });
  assert.deepEqual(optimizerRecord({ name: "sgd-momentum", hyper: { lr: 0.1, momentum: 0.9 } }), {
    name: "sgd-momentum",
    hyper: { learningRate: 0.1, momentum: 0.9 },
  });
  assert.throws(
    () => optimizerRecord({ name: "rmsprop", hyper: { decay: 0.9 } }),
    /lack momentum, learningRate, epsilon/,
  );
  assert.throws(() => optimizerRecord({ name: "adam", hyper: {} }), /unknown optimizer adam/);
  const built = optimizerFrom({ name: "sgd-momentum", hyper: { learningRate: 0.5, momentum: 0 } });
  assert.deepEqual(built.hyper, { learningRate: 0.5, momentum: 0 });
});
