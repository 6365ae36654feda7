/**
 * lib/experiments/ptb_words_report.ts: Table 1's word rows read from the
 * recorded evaluations, the RMS rule's row only beside the network it scored.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ptbWordRows } from "../../lib/experiments/ptb_words_report.ts";
import { wordsEvalFile } from "../../lib/experiments/ptb_words_eval.ts";

const evalFile = (step: number, staticPpl: number, dynamicPpl: number) => ({
  step,
  epochs: 8.97,
  training_hours: 1.67,
  label: "one network · 8.97 epochs · 1.7 h · profile cpu, 3 phases",
  test_static: { perplexity: staticPpl, bpc_equivalent: Math.log2(staticPpl) / 5.6, bits_per_word: 7 },
  test_dynamic: { perplexity: dynamicPpl, bpc_equivalent: Math.log2(dynamicPpl) / 5.6, bits_per_word: 7 },
  test_error_static: 0.77,
  test_words_scored: 82_400,
});

Deno.test("ptbWordRows: the paper's four rows, ours beside them, the RMS rule's row only for the same step", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(ptbWordRows(dir).length, 4, "no recorded evaluation: the paper's rows only");
    const write = (file: string, o: object) => Deno.writeTextFileSync(join(dir, file), JSON.stringify(o));
    write("eval_words_test.json", evalFile(2600, 136.63, 133.97));
    write("eval_words_test_rms.json", evalFile(2500, 140, 120));
    const rows = ptbWordRows(dir);
    assert.equal(rows.length, 6, "an RMS file of another step is not shown");
    assert.deepEqual(rows.slice(4).map((r) => [r.dynamic, r.perplexity, r.error_pct]), [
      [false, 136.6, 77],
      [true, 134, null],
    ]);
    assert.ok(rows[4].network.includes("shortened (paper: 11 epochs)"), rows[4].network);
    write("eval_words_test_rms.json", evalFile(2600, 136.63, 121.04));
    const withRms = ptbWordRows(dir);
    assert.equal(withRms.length, 7);
    assert.equal(withRms[6].perplexity, 121);
    assert.match(withRms[6].scored, /RMS rule \(not the paper's\)/);
    assert.ok(withRms.every((r) => r.network.length <= 120 && r.scored.length <= 120));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("ptbWordRows: the weight-noise network's rows from its own file, the fine-tune's start named", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const write = (file: string, o: object) => Deno.writeTextFileSync(join(dir, file), JSON.stringify(o));
    write("eval_words_test.json", evalFile(2600, 136.63, 133.97));
    const noise = {
      ...evalFile(4500, 131.2, 128.04),
      epochs: 15.52,
      regularisation: "weight noise",
      weight_noise_from_step: 2600,
    };
    write(wordsEvalFile("test", "weight noise"), noise);
    write(wordsEvalFile("test", "weight noise", true), {
      ...noise,
      test_dynamic: { ...noise.test_dynamic, perplexity: 120 },
    });
    const rows = ptbWordRows(dir);
    assert.equal(rows.length, 9, "4 paper, 2 unregularised, 3 weight noise");
    const ours = rows.filter((r) => r.regularisation.startsWith("weight noise from"));
    assert.deepEqual(ours.map((r) => [r.dynamic, r.perplexity, r.epochs]), [
      [false, 131.2, 15.52],
      [true, 128, 15.52],
      [true, 120, 15.52],
    ]);
    assert.equal(ours[0].regularisation, "weight noise from step 2,600 on");
    assert.ok(!ours[0].network.includes("shortened"), "15.52 epochs is not short of the paper's 14");
    assert.equal(wordsEvalFile("valid", "weight noise", true), "eval_words_valid_noise_rms.json");
    assert.throws(() => wordsEvalFile("test", "dropout"), /no word row for regularisation "dropout"/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
