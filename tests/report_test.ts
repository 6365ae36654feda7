/** Figures render to standalone SVG and PNG with visible text; tables keep integer columns; metrics carry a run record. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { curves, handwriting, heatmap } from "../lib/plots/figures.ts";
import { saveFigure, stack, toPng } from "../lib/plots/render.ts";
import { table, writeTable } from "../lib/report/table.ts";
import { runRecord, writeMetrics } from "../lib/report/record.ts";
import { PROJECT_ROOT } from "../lib/data/location.ts";

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
