/**
 * Styles: drawn lines become primes as IAM-OnDB lines are prepared; the two
 * constants that scale them are IAM-OnDB's own (checked on the data when it
 * is here); style files are checked field by field.
 */
import assert from "node:assert/strict";
import {
  IAM_LINE_HEIGHT,
  IAM_PEN_LENGTH_PER_CHAR,
  IAM_PEN_STEP,
  parseStyle,
  primeFromStyle,
  resampleStroke,
  strokeLength,
  styleFromDrawing,
} from "../../lib/data/iamondb/style.ts";
import { denormalise } from "../../lib/data/iamondb/offsets.ts";
import { prepareIam } from "../../lib/experiments/iam.ts";
import { realData } from "../helpers/fixtures.ts";

Deno.test("resampling: points every `step` along the stroke, ends kept", () => {
  const r = resampleStroke({ x: [0, 10, 10], y: [0, 0, 5] }, 4);
  assert.deepEqual(r.x, [0, 4, 8, 10, 10]); // arc lengths 0, 4, 8, 12 (2 into the second segment), then the end
  assert.deepEqual(r.y, [0, 0, 0, 2, 5]);
  assert.deepEqual(resampleStroke({ x: [3], y: [4] }, 2), { x: [3], y: [4] });
});

Deno.test("drawn lines: each scaled to IAM's line height, set one after another, resampled; a prime with a null first point", () => {
  const line = (x0: number) => [{ x: [x0, x0 + 50], y: [0, 100] }, { x: [x0 + 60, x0 + 90], y: [100, 0] }];
  const s = styleFromDrawing([line(0), [], line(500)], "  two   lines ", { size: "ink-height" });
  assert.equal(s.text, "two lines");
  assert.equal(s.strokes.length, 4);
  const ys = s.strokes.flatMap((k) => k.y), xs = s.strokes.flatMap((k) => k.x);
  assert.equal(Math.max(...ys) - Math.min(...ys), IAM_LINE_HEIGHT);
  assert.ok(Math.min(...s.strokes[2].x) > Math.max(...s.strokes[1].x), "the second line after the first");
  assert.ok(xs.length > 40, "resampled to the pen spacing");
  const stats = { mean: [1, 2] as [number, number], std: [10, 20] as [number, number], count: 1 };
  const p = primeFromStyle(s, stats);
  assert.deepEqual([...p.points.subarray(0, 3)], [0, 0, 0]);
  assert.equal(p.n, xs.length);
  assert.equal(p.points[3 * (s.strokes[0].x.length - 1) + 2], 1, "end of the first stroke");
  assert.throws(() => styleFromDrawing([[], []], "x"), /no strokes/);
  // by default sized by pen length: the pen travels as far per character as IAM-OnDB's writers' pens
  const byPen = styleFromDrawing([line(0), line(500)], "two lines");
  const travelled = byPen.strokes.reduce((a, k) => a + strokeLength(k), 0);
  assert.ok(Math.abs(travelled / (9 * IAM_PEN_LENGTH_PER_CHAR) - 1) < 0.01, `${travelled} for 9 characters`);
});

Deno.test("style files: checked field by field, errors name the file", () => {
  const ok = { format: "graves-style", version: 1, text: "hi", strokes: [{ x: [1, 2], y: [3, 4] }] };
  assert.deepEqual(parseStyle(JSON.stringify(ok), "me.json"), ok);
  assert.throws(() => parseStyle("{", "me.json"), /me\.json: not JSON/);
  assert.throws(() => parseStyle(JSON.stringify({ ...ok, format: "x" }), "me.json"), /not a style file/);
  assert.throws(() => parseStyle(JSON.stringify({ ...ok, text: " " }), "me.json"), /"text"/);
  assert.throws(
    () => parseStyle(JSON.stringify({ ...ok, strokes: [{ x: [1], y: [null] }] }), "me.json"),
    /me\.json: stroke 1/,
  );
});

Deno.test({
  name:
    "IAM_LINE_HEIGHT and IAM_PEN_STEP and IAM_PEN_LENGTH_PER_CHAR are IAM-OnDB's medians over the training lines (within 2-3%)",
  ignore: !realData("iamondb"),
  async fn() {
    const data = await prepareIam();
    const heights: number[] = [], steps: number[] = [], perChar: number[] = [];
    for (const [k, l] of data.train.entries()) {
      const raw = denormalise(l.points, data.stats);
      let y = 0, lo = Infinity, hi = -Infinity, pen = 0;
      for (let i = 0; i < l.n; i++) {
        y += raw[3 * i + 1], lo = Math.min(lo, y), hi = Math.max(hi, y);
        if (i > 0 && raw[3 * (i - 1) + 2] < 0.5) pen += Math.hypot(raw[3 * i], raw[3 * i + 1]);
        if (i > 0 && raw[3 * (i - 1) + 2] < 0.5 && i % 7 === 0) {
          steps.push(Math.hypot(raw[3 * i], raw[3 * i + 1]));
        }
      }
      heights.push(hi - lo);
      perChar.push(pen / [...data.split.train[k].text].length);
    }
    const med = (a: number[]) => a.sort((p, q) => p - q)[a.length >> 1];
    assert.ok(Math.abs(med(heights) / IAM_LINE_HEIGHT - 1) < 0.02, `median line height ${med(heights)}`);
    assert.ok(Math.abs(med(steps) / IAM_PEN_STEP - 1) < 0.02, `median pen step ${med(steps)}`);
    assert.ok(
      Math.abs(med(perChar) / IAM_PEN_LENGTH_PER_CHAR - 1) < 0.03,
      `median pen-down length per character ${med(perChar)}`,
    );
  },
});
