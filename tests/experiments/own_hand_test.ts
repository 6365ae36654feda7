/**
 * The own-hand benchmark's parts: Hershey glyphs parsed from Debian's files,
 * mouse-like sampling, slant, the reading scores; and Tesseract (the real
 * reader) reads a Hershey-drawn line, so that its scores mean something.
 */
import assert from "node:assert/strict";
import { HERSHEY_DIR, hersheyLine, loadHershey, parseJhf } from "../../lib/data/hershey.ts";
import { legibility, levenshtein, pointerSampled, tesseractRead } from "../../lib/experiments/own_hand.ts";
import { slant } from "../../lib/experiments/adapt.ts";
import { exists } from "../../lib/util/paths.ts";

const required = Deno.env.get("GRAVES_REQUIRE_BROWSER") === "1"; // CI: the real clients always run
const haveFonts = exists(`${HERSHEY_DIR}/futural.jhf`), haveOcr = exists("/usr/bin/tesseract");
if ((!haveFonts || !haveOcr) && !required) {
  console.log(
    "tests/experiments/own_hand: Hershey/Tesseract checks skipped (apt install hershey-fonts-data tesseract-ocr)",
  );
}

Deno.test("hershey: a glyph line parsed (margins, pen-ups, wrapped lines)", () => {
  // "!" in futural: margins M W, two strokes
  const [g] = parseJhf("12345  9MWRFRT RRYQZR[SZRY\n"); // 9 pairs, the margins included
  assert.deepEqual([g.left, g.right], [-5, 5]);
  assert.deepEqual(g.strokes[0], { x: [0, 0], y: [-12, 2] });
  assert.equal(g.strokes[1].x.length, 5);
  const wrapped = parseJhf("12345  9MWRFRT\n RRYQZR[SZRY\n");
  assert.deepEqual(wrapped, [g]);
  assert.throws(() => parseJhf("12345  9MWRFRT\n"), /cut short/);
});

Deno.test("own hand: mouse-like sampling stays on the path without jitter; slant; edit distance; words read", () => {
  const line = [{ x: [0, 0], y: [0, 100] }];
  const s = pointerSampled(line, { step: 5, jitter: 0, seed: 1 })[0];
  assert.ok(s.x.length > 15 && s.x.every((x) => x === 0), "points along the stroke");
  assert.deepEqual([s.y[0], s.y.at(-1)], [0, 100]);
  const steps = s.y.slice(1).map((y, i) => y - s.y[i]);
  assert.ok(Math.max(...steps) > 1.5 * Math.min(...steps), "uneven steps, as a mouse reports them");
  const right = [{ x: [0, 20], y: [100, 0] }], left = [{ x: [20, 0], y: [100, 0] }]; // y down: drawn upwards
  assert.ok(slant(right) > 0.15 && slant(left) < -0.15, `${slant(right)} ${slant(left)}`);
  assert.ok(Math.abs(slant([{ x: [0, 100], y: [0, 0] }])) === 0, "horizontal strokes do not count");
  assert.equal(levenshtein("kitten", "sitting"), 3);
  assert.deepEqual(legibility("The weather is lovel today!", "the weather is lovely today"), {
    cer: 1 / 27,
    words: 0.8,
  });
});

Deno.test({
  name: "own hand: Tesseract reads a line drawn in a Hershey face (the reader the benchmark relies on)",
  ignore: (!haveFonts || !haveOcr) && !required,
  async fn() {
    const ink = hersheyLine(loadHershey("futural"), "please send me the papers");
    const read = await tesseractRead(ink);
    assert.ok(legibility(read, "please send me the papers").words >= 0.8, `read "${read}"`);
  },
});
