/**
 * The README's rows of a line experiment: the shipped network's, and the adaptive weight noise network's
 * only from scores of the very checkpoint notebook 03's metrics name (a stale score is not shown).
 */
import assert from "node:assert/strict";
import { linesHeadline } from "../../lib/experiments/lines_eval.ts";

const dir = "03_handwriting_prediction";
const files = (awnStep: number): Record<string, Record<string, unknown>> => ({
  [`${dir}/metrics.json`]: {
    label: "weight average of 23 checkpoints",
    awn_label: "average of 6 · paper-awn",
  },
  [`${dir}/eval_full.json`]: { step: 47350, valid_nats_per_sequence: -1043.0, valid_lines_scored: 1438 },
  [`${dir}/eval_report.json`]: { step: 47350, valid_nats_per_sequence: -1042.4 },
  [`${dir}/handwriting-awn/eval_full.json`]: {
    step: awnStep,
    valid_nats_per_sequence: -1050.2,
    valid_lines_scored: 1438,
  },
  [`${dir}/handwriting-awn/eval_report.json`]: { step: awnStep, valid_nats_per_sequence: -1049.8 },
});
const headline = linesHeadline("Handwriting prediction", dir, -1041.0, "Table 3", {
  paper: -1057.7,
  kind: "handwriting",
});

Deno.test("headline: the AWN network's row against the paper's AWN row, its report half held out", () => {
  const f = files(58500);
  f[`${dir}/metrics.json`].awn_checkpoint_step = 58500;
  const rows = headline((rel) => f[rel]);
  assert.equal(rows.length, 2);
  assert.match(rows[0].ours, /−1043\.0 \(all 1,438 lines\); −1042\.4 \(report half, not held out\)/);
  assert.equal(rows[1].experiment, "Handwriting prediction, adaptive weight noise (Table 3)");
  assert.equal(rows[1].paper, "−1057.7");
  assert.match(rows[1].ours, /−1050\.2 \(all 1,438 lines\); −1049\.8 \(report half, held out\)/);
  assert.match(rows[1].how, /chosen on the selection half/);
  assert.ok(rows[1].sources.includes(`${dir}/handwriting-awn/eval_report.json`));
});

Deno.test("headline: no AWN row from scores of another step than metrics.json names, nor without its label", () => {
  const f = files(58500);
  f[`${dir}/metrics.json`].awn_checkpoint_step = 60000; // the notebook ran on a newer AWN network
  assert.equal(headline((rel) => f[rel]).length, 1);
  delete f[`${dir}/metrics.json`].awn_label;
  f[`${dir}/metrics.json`].awn_checkpoint_step = 58500;
  assert.equal(headline((rel) => f[rel]).length, 1);
});
