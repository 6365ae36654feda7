/**
 * lib/experiments/ptb_words_report.ts: Table 1's word rows read from the
 * recorded evaluations, the RMS rule's row only beside the network it scored.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ptbWordRows } from "../../lib/experiments/ptb_words_report.ts";

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
