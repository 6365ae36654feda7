/**
 * lib/report: tables keep integer columns and show whole; metrics carry a run record;
 * markup balance; the full evaluation read only for its own checkpoint; where eval writes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { table, tableText, writeTable } from "../../lib/report/table.ts";
import { readEvalFull, runRecord, scoresFolder, writeMetrics } from "../../lib/report/record.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import { markupBalance } from "../../lib/analysis/markup.ts";

Deno.test("tables keep integers as integers in CSV, a measure named a float as a float; metrics carry the run record", async () => {
  const dir = await Deno.makeTempDir();
  const t = table([{ model: "ours", bpc: 1.3, epochs: 9 }, { model: "paper", bpc: 1.32, epochs: 9 }]);
  const p = writeTable(t, dir, "t");
  assert.equal(Deno.readTextFileSync(join(PROJECT_ROOT, p)), "model,bpc,epochs\nours,1.3,9\npaper,1.32,9\n");
  const err = table([{ error_pct: 77 }, { error_pct: null }], ["error_pct"]); // a measure that came out whole
  assert.equal(err.writeCSV().toString(), "error_pct\n77.0\n\n", "77.0, not 77");
  const allow = Deno.env.get("GRAVES_ALLOW_DIRTY");
  Deno.env.set("GRAVES_ALLOW_DIRTY", "1"); // the record says whether the tree was dirty; here it may be
  try {
    writeMetrics(dir, { test_bpc: 1.3 }, runRecord({ command: "x", profile: "quick", data: {}, config: {} }));
  } finally {
    if (allow === undefined) Deno.env.delete("GRAVES_ALLOW_DIRTY");
    else Deno.env.set("GRAVES_ALLOW_DIRTY", allow);
  }
  const m = JSON.parse(Deno.readTextFileSync(join(dir, "metrics.json")));
  assert.equal(m.test_bpc, 1.3);
  assert.equal(m.record.command, "x");
  assert.ok(m.record.commit && typeof m.record.dirty === "boolean" && /cores$/.test(m.record.machine));
  assert.ok(!Number.isNaN(Date.parse(m.record.date)), "the commit's date");
  assert.equal(m.record.wallSeconds, undefined, "no wall-clock value");
});

Deno.test("a table's text view is whole: no row or long label cut to an ellipsis, the user's polars setting kept", () => {
  const label = (i: number) => `deno task eval ptb --streams 1 --dynamic rms, row ${i};`;
  const t = table(Array.from({ length: 12 }, (_, i) => ({ model: label(i).repeat(3), bpc: 1.3 + i / 100 })));
  Deno.env.set("POLARS_FMT_MAX_ROWS", "4");
  try {
    const text = tableText(t);
    for (let i = 0; i < 12; i++) assert.ok(text.includes(label(i).repeat(3)), `row ${i} is shown whole`);
    assert.doesNotMatch(text, /…/);
    assert.equal(
      text.split("\n").filter((l) => l.includes("row ")).length,
      12,
      "one line per row, none wrapped",
    );
    assert.equal(Deno.env.get("POLARS_FMT_MAX_ROWS"), "4");
    assert.match(t.toString(), /…/, "polars alone would cut it");
  } finally {
    Deno.env.delete("POLARS_FMT_MAX_ROWS");
  }
});

Deno.test("markup balance: links, templates, parentheses and XML tags (escaped ones too) are matched and counted", () => {
  const by = (text: string) => Object.fromEntries(markupBalance(text).map((b) => [b.pair, b]));
  const b = by(
    "[[a]] [[b [[c]] ]] x]] {{t|(1)}} (open <page><title>x</title>&lt;ref&gt;y&lt;/ref&gt;<a><b></a>",
  );
  assert.deepEqual(
    [
      b["[[ ]]"].opened,
      b["[[ ]]"].closed,
      b["[[ ]]"].strayClosings,
      b["[[ ]]"].leftOpen,
      b["[[ ]]"].maxDepth,
    ],
    [3, 3, 1, 0, 2],
  );
  assert.deepEqual([b["{{ }}"].opened, b["{{ }}"].closed], [1, 1]);
  assert.deepEqual([b["( )"].opened, b["( )"].closed, b["( )"].leftOpen], [2, 1, 1]);
  const tag = b["<tag> </tag>"]; // page (left open), title, ref, a (closed), b (skipped by </a>)
  assert.deepEqual([tag.opened, tag.closed, tag.leftOpen, tag.strayClosings, tag.maxDepth], [5, 3, 2, 0, 3]);
  assert.equal(by("no marks")["[[ ]]"].matchedShare, 1);
});

Deno.test("readEvalFull: the full evaluation of this checkpoint only, a weight average that kept its first run's step included; another file by name", async () => {
  const dir = await Deno.makeTempDir();
  assert.equal(readEvalFull(dir, 5), undefined);
  Deno.writeTextFileSync(
    join(dir, "eval_full.json"),
    JSON.stringify({ step: 5, trained_under: "profile paper" }),
  );
  assert.equal(readEvalFull(dir, 5)?.step, 5);
  assert.equal(readEvalFull(dir, 5, "profile paper")?.step, 5);
  assert.equal(readEvalFull(dir, 6, "profile paper"), undefined);
  assert.equal(readEvalFull(dir, 5, "weight average of 2 runs (profile paper): step 5, step 7"), undefined);
  // another file of the same kind (`deno task eval ptb --dynamic rms` writes eval_full_rms.json)
  assert.equal(readEvalFull(dir, 5, undefined, "eval_full_rms.json"), undefined);
  Deno.writeTextFileSync(join(dir, "eval_full_rms.json"), JSON.stringify({ step: 5, x: 1 }));
  assert.equal(readEvalFull<{ step: number; x: number }>(dir, 5, undefined, "eval_full_rms.json")?.x, 1);
});

Deno.test("eval's scores of another shipped network go to a folder of its name, never over the shipped network's", () => {
  const shipped = join(PROJECT_ROOT, "results", "checkpoints", "handwriting");
  const nb = "03_handwriting_prediction";
  assert.equal(scoresFolder(nb, shipped, "results/checkpoints/handwriting"), nb, "the shipped network's own");
  assert.equal(
    scoresFolder(nb, shipped, join(PROJECT_ROOT, "results/checkpoints/handwriting-awn")),
    join(nb, "handwriting-awn"),
  );
  assert.equal(scoresFolder(nb, shipped, "runs/ab-low"), nb, "a run: where its --out says, else as before");
});
