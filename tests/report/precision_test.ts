/**
 * Numbers at the precision that means something, in tables and metrics; a
 * metrics file whose numbers did not change is not rewritten; a table column
 * shows one number of decimals.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { roundMeasure, roundMeasures } from "../../lib/report/precision.ts";
import { type RunRecord, writeMetrics } from "../../lib/report/record.ts";
import { table, tableHtml } from "../../lib/report/table.ts";

Deno.test("precision: each measure keeps the paper's digits and one more; settings and counts stay", () => {
  assert.equal(roundMeasure("test_bpc_static", 1.3696516286336227), 1.37);
  assert.equal(roundMeasure("valid_nats_per_sequence", -1097.5692846731947), -1097.57);
  assert.equal(roundMeasure("sse_per_point", 0.4256964654606271), 0.426);
  assert.equal(roundMeasure("valid_perplexity_10k", 811.9760082236962), 812);
  assert.equal(roundMeasure("epochs", 0.04945717732207479), 0.05);
  assert.equal(roundMeasure("median", 1.360782206853231), 1.3608, "anything else: 5 significant digits");
  assert.equal(roundMeasure("learningRate", 2.5e-5), 2.5e-5);
  assert.equal(roundMeasure("temperature", 0.812345), 0.812345, "a setting people type");
  assert.equal(roundMeasure("valid_lines", 1438), 1438);
  // machines that differ in the 8th digit write the same number
  assert.equal(roundMeasure("bpc", 1.3696516286336227), roundMeasure("bpc", 1.3696516207995064));
  assert.deepEqual(roundMeasures({ a: { bits: [1.23456, 2] }, label: "x" }), {
    a: { bits: [1.235, 2] },
    label: "x",
  });
});

Deno.test("precision: metrics.json is rewritten only when its numbers or settings change", () => {
  const dir = Deno.makeTempDirSync();
  const record = (commit: string, config = {}): RunRecord => ({
    command: "deno task notebooks x",
    profile: "quick",
    backend: "b",
    commit,
    dirty: false,
    date: "d",
    machine: `m-${commit}`,
    data: {},
    config,
  });
  const path = join(dir, "metrics.json");
  writeMetrics(dir, { bpc: 1.3696516286336227 }, record("aaa"));
  const first = Deno.readTextFileSync(path);
  assert.match(first, /"bpc": 1\.37,/);
  writeMetrics(dir, { bpc: 1.3696516207995064 }, record("bbb"));
  assert.equal(
    Deno.readTextFileSync(path),
    first,
    "same numbers, another commit and machine: left as it was",
  );
  writeMetrics(dir, { bpc: 1.3696516207995064 }, record("ccc", { bias: 1 }));
  assert.match(Deno.readTextFileSync(path), /"commit": "ccc"/, "another setting: rewritten");
  writeMetrics(dir, { bpc: 1.2 }, record("ddd", { bias: 1 }));
  assert.match(
    Deno.readTextFileSync(path),
    /"bpc": 1\.2,[\s\S]*"commit": "ddd"/,
    "another number: rewritten",
  );
});

Deno.test("precision: a table rounds by column name and shows one format per column", () => {
  const df = table([
    { source: "paper", nats_per_sequence: -1041 },
    { source: "ours", nats_per_sequence: -1025.712345 },
    { source: "ours", nats_per_sequence: -963.2 },
  ]);
  assert.deepEqual(df.getColumn("nats_per_sequence").toArray(), [-1041, -1025.71, -963.2]);
  const cells = [...tableHtml(df).matchAll(/<td style="text-align: right">([^<]*)<\/td>/g)].map((m) => m[1]);
  assert.deepEqual(cells, ["-1041.00", "-1025.71", "-963.20"]);
});
