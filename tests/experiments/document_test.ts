/**
 * Documents and plotters: wrapping and pages, one hand throughout (what each
 * line was primed with), characters outside the set, and the plotter formats
 * read back stroke by stroke against the strokes written.
 */
import assert from "node:assert/strict";
import { layoutLines, linesPerPage, prepareText, writeDocument } from "../../lib/experiments/document.ts";
import { PAPER_CHARSET } from "../../lib/data/iamondb/charset.ts";
import { orderStrokes, parseGcode, toGcode, travel } from "../../lib/plots/gcode.ts";
import { strokesFromSvg } from "../../lib/plots/svg_strokes.ts";
import { penSvg, simplifyStroke } from "../../lib/plots/pen.ts";
import { disposeWriter, loadWriter } from "../../lib/experiments/write.ts";
import { styleFromDrawing } from "../../lib/data/iamondb/style.ts";
import { slant } from "../../lib/experiments/adapt.ts";
import { shippedDir } from "../../lib/runs/run.ts";
import { holdsCheckpoint } from "../../lib/runs/checkpoint.ts";
import { useProjectBackend } from "../helpers/tf.ts";

Deno.test("layout: paragraphs and blank lines kept, lines wrapped at words within the width, pages by line height", () => {
  const text = "one two three four five six\nseven eight\n\n\nnine ten\r\n\r\neleven";
  const lines = layoutLines(text, 12);
  assert.deepEqual(lines, ["one two", "three four", "five six", "seven eight", "", "nine ten", "", "eleven"]);
  assert.ok(lines.every((l) => l.length <= 12));
  assert.equal(linesPerPage({ size: [210, 297], marginMm: 20, lineHeightMm: 10 }), 25);
  assert.equal(linesPerPage({ size: [215.9, 279.4], marginMm: 25, lineHeightMm: 12 }), 19);
});

Deno.test("characters outside the set: listed and refused, replaced by plain marks, or dropped (counted)", () => {
  const text = "“Hello” — it’s 9°\tnow";
  assert.throws(() => prepareText(text, PAPER_CHARSET, "refuse"), /“”” ×1.*“°” ×1/);
  const r = prepareText(text, PAPER_CHARSET, "replace");
  assert.equal(r.text, '"Hello" - it\'s 9 now');
  assert.deepEqual([...r.dropped], [["°", 1]]);
  assert.equal(prepareText(text, PAPER_CHARSET, "drop").text, "Hello  its 9now");
});

const strokes = [
  { x: [120, 121, 125.5], y: [30, 31.25, 33] },
  { x: [10, 12], y: [20, 20] },
  { x: [60], y: [40] },
  { x: [11, 14, 17], y: [21, 25, 22] },
];

Deno.test("G-code: every stroke and coordinate read back; pen-up travel ordered short; custom pen commands", () => {
  const o = { penUp: "G0 Z5", penDown: "G1 Z0", feed: 1500, pageHeightMm: 297 };
  const ordered = orderStrokes(strokes);
  assert.ok(travel(ordered) < travel(strokes), `${travel(ordered)} vs ${travel(strokes)} mm`);
  const g = toGcode(ordered, o);
  assert.match(
    g,
    /^\(.*\)\nG21 \(millimetres\)\nG90 \(absolute\)\nG17 \(XY plane\)\nG94 \(feed per minute\)\nF1500\nG0 Z5\n/,
  );
  assert.match(g, /G0 X0 Y0\nM2 \(program end\)\n$/);
  const back = parseGcode(g, o);
  assert.equal(back.length, strokes.length);
  back.forEach((s, i) => {
    assert.equal(s.x.length, ordered[i].x.length);
    s.x.forEach((x, j) => {
      assert.ok(Math.abs(x - ordered[i].x[j]) < 1e-3 && Math.abs(s.y[j] - ordered[i].y[j]) < 1e-3);
    });
  });
  assert.throws(() => parseGcode("G1 X1\n", o), /line 1: a move without X and Y/);
});

Deno.test("plotter SVG: one stroke-only path per stroke in mm, coordinates read back; simplification within tolerance", () => {
  const svg = penSvg(strokes, { mmPerUnit: 1, page: [210, 297], marginMm: 0 });
  assert.match(svg, /width="210mm" height="297mm" viewBox="0 0 210 297"/);
  const paths = [...svg.matchAll(/<path d="([^"]+)" fill="none"/g)].map((m) => m[1]);
  assert.equal(paths.length, strokes.length);
  paths.forEach((d, i) => {
    const pts = [...d.matchAll(/[ML]([-\d.]+) ([-\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    strokes[i].x.forEach((x, j) => assert.deepEqual(pts[j], [x, strokes[i].y[j]]));
  });
  const line = { x: [0, 1, 2, 3, 4, 5], y: [0, 0.01, 0, -0.01, 0, 3] };
  assert.deepEqual(simplifyStroke(line, 0.05), { x: [0, 4, 5], y: [0, 0, 3] });
  assert.deepEqual(simplifyStroke(line, 0), line);
});

const shipped = holdsCheckpoint(shippedDir("synthesis"));
Deno.test({
  name: "one hand: every line primed by the first, by the one before, or by the style file; lines over pages",
  ignore: !shipped,
  async fn() {
    await useProjectBackend();
    const w = await loadWriter(shippedDir("synthesis"));
    const page = { size: [210, 60] as [number, number], marginMm: 10, lineHeightMm: 15 }; // 2 lines a page
    const o = { width: 12, page, bias: 1, seed: 1, finishStroke: 150, redraws: 1 };
    const text = "one hand\n\nall the way";
    const primes = (d: ReturnType<typeof writeDocument>) => d.lines.map((l) => l.primedWith);
    const first = writeDocument(w, text, { ...o, chain: "first" });
    assert.deepEqual(first.lines.map((l) => [l.text, l.page]), [["one hand", 0], ["", 0], [
      "all the way",
      1,
    ]]);
    assert.equal(first.pages.length, 2);
    assert.deepEqual(primes(first), ["", "", "one hand"]);
    // each line carries its own strokes as placed: together, its page's strokes (the blank line none)
    assert.deepEqual(first.lines.map((l) => l.strokes.length > 0), [true, false, true]);
    assert.deepEqual(first.lines.filter((l) => l.page === 1).flatMap((l) => l.strokes), first.pages[1]);
    assert.deepEqual(primes(writeDocument(w, "a b c", { ...o, width: 1, chain: "previous" })), [
      "",
      "a",
      "b",
    ]);
    const style = styleFromDrawing([[{ x: [0, 50, 100], y: [0, 80, 0] }]], "v");
    assert.deepEqual(primes(writeDocument(w, "a b", { ...o, width: 1, style, hand: "prime" })), ["v", "v"]);
    // by default a style adapts a copy of the network (then lines chain as without one), its slant kept
    const leaning = styleFromDrawing([[{ x: [0, 20], y: [100, 0] }, { x: [40, 60], y: [100, 0] }]], "ll");
    const adapted = writeDocument(w, "a b", { ...o, width: 1, style: leaning, adapt: { steps: 2 } });
    assert.deepEqual(primes(adapted), ["", "a"]);
    for (const p of adapted.pages) {
      assert.ok(Math.abs(slant(p) - slant(leaning.strokes)) < 0.06, `${slant(p)}`);
    }
    const ys = first.pages[1].flatMap((s) => s.y);
    assert.ok(Math.min(...ys) > 0 && Math.max(...ys) < 60, "page 2's ink on page 2");
    disposeWriter(w);
  },
});

Deno.test("deno task style reads SVG paths (ours, round trip) and JSON strokes", async () => {
  const { strokesFromJson } = await import("../../lib/cli/style.ts");
  const back = strokesFromSvg(penSvg(strokes, { mmPerUnit: 1 }));
  assert.deepEqual(back.map((s) => s.x.length), strokes.map((s) => s.x.length + (s.x.length === 1 ? 1 : 0)));
  assert.deepEqual(back[1], strokes[1]);
  assert.deepEqual(strokesFromJson("[[[1, 2], [3, 4]]]"), [{ x: [1, 3], y: [2, 4] }]);
});
