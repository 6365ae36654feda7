/**
 * lib/plots: standalone SVG and PNG figures, stacked panels, wrapped captions, learning-curve
 * markers and haloed reference labels.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { curves, handwriting, heatmap } from "../../lib/plots/figures.ts";
import * as Plot from "@observablehq/plot";
import { plot, saveFigure, stack, toPng, wrapLines } from "../../lib/plots/render.ts";

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
  const line = Plot.line(pts, { x: "x", y: "y" });
  const short = plot({ marks: [line], width: 320, caption: "one line" });
  const long = plot({ marks: [line], width: 320, caption: "word ".repeat(24).trim() }); // 119 characters
  const lines = (long.svg.match(/fill="#444">word/g) ?? []).length;
  assert.ok(lines >= 2, `${lines} caption lines`);
  assert.equal(long.height - short.height, 14 * (lines - 1));
  for (const m of long.svg.matchAll(/fill="#444">([^<]*)</g)) assert.ok(m[1].length * 6 <= long.width, m[1]);
});

Deno.test("figures: learning curves mark where training changed, one label line per change", () => {
  const pts = [{ x: 0, y: 2, series: "train" }, { x: 2, y: 1, series: "train" }];
  const plain = curves(pts, { x: "epoch", y: "bits" });
  const marked = curves(pts, {
    x: "epoch",
    y: "bits",
    changes: [{ x: 1, label: "learning rate 2.5e-5, weight noise σ 0.075" }],
  });
  assert.doesNotMatch(plain.svg, /learning rate/);
  assert.match(marked.svg, />learning rate 2\.5e-5</);
  assert.match(marked.svg, />weight noise σ 0\.075</);
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
