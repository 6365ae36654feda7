/** Figures render to standalone SVG and PNG with visible text; tables keep integer columns; metrics carry a run record. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { curves, handwriting, heatmap } from "../../lib/plots/figures.ts";
import { saveFigure, stack, toPng, wrapLines } from "../../lib/plots/render.ts";
import { table, tableText, writeTable } from "../../lib/report/table.ts";
import { readEvalFull, runRecord, writeMetrics } from "../../lib/report/record.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import { markupBalance } from "../../lib/analysis/markup.ts";

const PNG = [0x89, 0x50, 0x4e, 0x47];

Deno.test("figures: standalone SVG with xmlns, PNG with the labels drawn", () => {
  const f = curves([{ x: 0, y: 2, series: "train" }, { x: 1, y: 1, series: "train" }], {
    x: "epoch",
    y: "bits/char",
    title: "T",
  });
  assert.match(f.svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(f.svg, /bits\/char/);
  const png = toPng(f, 1);
  assert.deepEqual([...png.subarray(0, 4)], PNG);
  // The same figure without any text must give a smaller PNG: the font was loaded and text drawn.
  const blank = toPng({ ...f, svg: f.svg.replace(/<text[^>]*>[^<]*<\/text>/g, "") }, 1);
  assert.ok(png.length > blank.length + 500, `text not rendered (${png.length} vs ${blank.length} bytes)`);
});

Deno.test("figures: handwriting panels stack; heatmap labels rows with characters", async () => {
  const h = handwriting([{ strokes: [{ x: [0, 10, 20], y: [0, 5, 0] }], label: "ab" }, {
    strokes: [{ x: [0, 5], y: [0, 5] }],
  }]);
  assert.equal((h.svg.match(/<svg/g) ?? []).length >= 3, true);
  const m = heatmap({ values: [1, 0, 0, 1], rows: 2, cols: 2 }, { x: "t", y: "u", yTicks: ["a", "b"] });
  assert.match(m.svg, />a</);
  assert.match(m.svg, />b</);
  const dir = await Deno.makeTempDir();
  const paths = saveFigure(stack([h, m]), dir, "fig");
  assert.ok(paths.png.endsWith("fig.png"));
  assert.deepEqual([...Deno.readFileSync(join(dir, "fig.png")).subarray(0, 4)], PNG);
});

Deno.test("figures: a long caption wraps to the figure's width, and the figure grows to hold it", () => {
  assert.deepEqual(wrapLines("aa bb cc dd", 5), ["aa bb", "cc dd"]);
  assert.deepEqual(wrapLines("averyverylongword x", 5), ["averyverylongword", "x"]);
  const pts = [{ x: 0, y: 1, series: "s" }, { x: 1, y: 2, series: "s" }];
  const short = curves(pts, { x: "x", y: "y", caption: "one line" });
  const long = curves(pts, { x: "x", y: "y", caption: "word ".repeat(120).trim() });
  const lines = (long.svg.match(/fill="#444">word/g) ?? []).length;
  assert.ok(lines >= 3, `${lines} caption lines`);
  assert.equal(long.height - short.height, 14 * (lines - 1));
  for (const m of long.svg.matchAll(/fill="#444">([^<]*)</g)) assert.ok(m[1].length * 6 <= long.width, m[1]);
});

Deno.test("figures: learning curves mark where training changed, one label line per change", () => {
  const pts = [{ x: 0, y: 2, series: "train" }, { x: 2, y: 1, series: "train" }];
  const plain = curves(pts, { x: "epoch", y: "bits" });
  const marked = curves(pts, {
    x: "epoch",
    y: "bits",
    changes: [{ x: 1, label: "gimel=2.5e-5, weightNoise=0.075" }],
  });
  assert.doesNotMatch(plain.svg, /gimel/);
  assert.match(marked.svg, />gimel=2\.5e-5</);
  assert.match(marked.svg, />weightNoise=0\.075</);
  assert.match(marked.svg, /stroke-dasharray="2,3"/);
});

Deno.test("figures: a reference label is haloed in white, legible where a curve dips under its rule", () => {
  const pts = [
    { x: 0, y: 2, series: "train" },
    { x: 1, y: 1.2, series: "train" }, // dips under the rule
    { x: 2, y: 1.5, series: "train" },
  ];
  const f = curves(pts, { x: "epoch", y: "bits", reference: [{ y: 1.3, label: "paper: 1.3" }] });
  const group = f.svg.match(/<g[^>]*>(?:(?!<\/g>).)*paper: 1\.3/s)?.[0] ?? "";
  assert.match(group, /stroke="white"/, "the reference label's group has no white halo");
  assert.match(group, /paint-order="stroke"/, "the halo would be painted over the letters");
  assert.doesNotMatch(group, /fill="none"/, "the label's letters are not filled");
});

Deno.test("tables keep integers as integers in CSV; metrics carry the run record", async () => {
  const dir = await Deno.makeTempDir();
  const t = table([{ model: "ours", bpc: 1.3, epochs: 9 }, { model: "paper", bpc: 1.32, epochs: 9 }]);
  const p = writeTable(t, dir, "t");
  assert.equal(Deno.readTextFileSync(join(PROJECT_ROOT, p)), "model,bpc,epochs\nours,1.3,9\npaper,1.32,9\n");
  writeMetrics(
    dir,
    { test_bpc: 1.3 },
    runRecord({ command: "x", profile: "quick", data: {}, config: {}, wallSeconds: 1 }),
  );
  const m = JSON.parse(Deno.readTextFileSync(join(dir, "metrics.json")));
  assert.equal(m.test_bpc, 1.3);
  assert.equal(m.record.command, "x");
  assert.ok(m.record.date && m.record.commit);
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
