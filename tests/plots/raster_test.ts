import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { encodePng, logScale, pngDataUri, rampColour } from "../../lib/plots/raster.ts";
import { hardWrap, textPageFigure } from "../../lib/plots/text_page.ts";
import { toPng } from "../../lib/plots/render.ts";

Deno.test("encodePng: a valid PNG (signature, size, checksummed chunks) whose pixels read back", () => {
  const png = encodePng(2, 3, (r, c) => [r * 100, c * 50, 7]);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer);
  assert.equal(view.getUint32(16), 3, "width");
  assert.equal(view.getUint32(20), 2, "height");
  const idatLength = view.getUint32(33);
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  assert.deepEqual(
    [...raw.subarray(0, 10)],
    [0, 0, 0, 7, 0, 50, 7, 0, 100, 7],
    "row 0: filter byte, then RGB",
  );
  assert.deepEqual([...raw.subarray(10, 13)], [0, 100, 0], "row 1 starts with its filter byte and r = 1");
  assert.match(pngDataUri(png), /^data:image\/png;base64,iVBORw0KGgo/);
});

Deno.test("log scale and colour ramp: white for nothing, darkest at the maximum", () => {
  const t = logScale([0, 1e-6, 1e-3, 1], 6);
  assert.deepEqual([...t].map((v) => Math.round(v * 100) / 100), [0, 0, 0.5, 1]);
  assert.deepEqual(rampColour(0), [255, 255, 255]);
  assert.deepEqual(rampColour(1), [127, 0, 0]);
  assert.deepEqual([...logScale([0, 0])], [0, 0], "an empty grid stays white");
});

Deno.test("text pages: lines wrapped at spaces, page cut at `rows`, rendered to PNG", () => {
  assert.deepEqual(hardWrap("aaa bbb ccc\ndd", 7), ["aaa bbb", "ccc", "dd"]);
  assert.deepEqual(hardWrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
  const fig = textPageFigure([{ heading: "real", text: "x <y> &\n".repeat(100) }], { rows: 10, cols: 20 });
  assert.equal((fig.svg.match(/xml:space/g) ?? []).length, 10);
  assert.ok(fig.svg.includes("x &lt;y&gt; &amp;"), "markup escaped");
  assert.ok(toPng(fig, 1).length > 100);
  assert.throws(() => textPageFigure([], { caption: "x".repeat(121) }), /120/);
});
