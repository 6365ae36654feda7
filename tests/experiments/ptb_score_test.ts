/**
 * lib/experiments/ptb_score.ts: the paper's Table 1 reference for the learning curves.
 */
import assert from "node:assert/strict";
import { useProjectBackend } from "../helpers/tf.ts";
import { ptbReference } from "../../lib/experiments/ptb_score.ts";

await useProjectBackend();

Deno.test("ptbReference: the paper's static row for the network's regularisation, the unregularised beside it", () => {
  assert.deepEqual(ptbReference("weight noise"), {
    y: 1.27,
    label: "paper, test, weight noise: 1.27 (none: 1.32)",
  });
  assert.deepEqual(ptbReference("none"), { y: 1.32, label: "paper, test, none: 1.32" });
  assert.throws(() => ptbReference("dropout"), /no Table 1 row "dropout"/);
});
