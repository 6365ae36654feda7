/**
 * SVG drawings as pen strokes: the full path syntax, transforms on groups,
 * curves flattened onto the true curve, and what cannot be read refused by
 * name (the old reader kept only M/L: a curve became its first point, and one
 * test file gave x ≈ 4×10¹³ with exit 0).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { strokesFromSvg } from "../../lib/plots/svg_strokes.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";

const svg = (body: string, attrs = "") => `<svg xmlns="http://www.w3.org/2000/svg"${attrs}>${body}</svg>`;
const near = (a: number, b: number, tol = 1e-6) => Math.abs(a - b) <= tol;

Deno.test("svg strokes: curves lie on the true curve; relative, H/V, implicit repeats and Z read", () => {
  const [c] = strokesFromSvg(svg(`<path d="M0 0 C 10 20, 30 20, 40 0"/>`), 0.01);
  assert.ok(c.x.length > 8, `${c.x.length} points`);
  for (let i = 0; i < c.x.length; i++) { // every point inside the curve's hull
    assert.ok(c.x[i] >= 0 && c.x[i] <= 40 && c.y[i] >= 0 && c.y[i] <= 15 + 1e-9);
  }
  assert.ok(near(Math.max(...c.y), 15, 0.05), "the top of the curve, y(0.5) = 15");
  const [r] = strokesFromSvg(svg(`<path d="m10 10 5 0 h5 v5 l-10 0 z"/>`));
  assert.deepEqual(r, { x: [10, 15, 20, 20, 10, 10], y: [10, 10, 10, 15, 15, 10] });
  const [q] = strokesFromSvg(svg(`<path d="M0 0 Q 10 10 20 0 T 40 0"/>`), 0.01);
  assert.ok(near(Math.max(...q.y), 5, 0.05) && near(Math.min(...q.y), -5, 0.05), "Q and its smooth T mirror");
  const [a] = strokesFromSvg(svg(`<path d="M0 0 A 10 10 0 0 1 20 0"/>`), 0.01);
  for (let i = 0; i < a.x.length; i++) {
    assert.ok(near(Math.hypot(a.x[i] - 10, a.y[i]), 10, 0.05), "on the circle");
  }
  const two = strokesFromSvg(svg(`<path d="M0 0 L1 1 M5 5 l1 1"/>`));
  assert.equal(two.length, 2, "each subpath a stroke");
});

Deno.test("svg strokes: transforms of the element and its groups, polylines, polygons and lines", () => {
  const s = strokesFromSvg(svg(
    `<g transform="translate(100 0)"><g transform="scale(2)"><path d="M1 1 L2 1" transform="translate(0 5)"/>` +
      `</g></g><polyline points="0,0 1,1"/><polygon points="0,0 1,0 1,1"/><line x1="3" y1="4" x2="5" y2="6"/>`,
  ));
  assert.deepEqual(s[0], { x: [102, 104], y: [12, 12] }, "own transform first, then the groups'");
  assert.deepEqual(s[1], { x: [0, 1], y: [0, 1] });
  assert.deepEqual(s[2], { x: [0, 1, 1, 0], y: [0, 0, 1, 0] }, "a polygon closes");
  assert.deepEqual(s[3], { x: [3, 5], y: [4, 6] });
  assert.equal(strokesFromSvg(svg(`<defs><path d="M0 0 L9 9"/></defs><title>x</title>`)).length, 0);
});

Deno.test("svg strokes: what cannot be read is refused, naming the element and why", () => {
  assert.throws(
    () => strokesFromSvg(svg(`<path d="M0 0 L1 1"/><circle id="dot" r="2"/>`)),
    /<circle id="dot">.*not a pen stroke/,
  );
  assert.throws(() => strokesFromSvg(svg(`<text>hi</text>`)), /<text> \(element 2\)/);
  assert.throws(() => strokesFromSvg(svg(`<polyline points="1,2 3"/>`)), /not x,y pairs/);
  assert.throws(() => strokesFromSvg("<html></html>"), /not an SVG document/);
});

Deno.test("svg strokes: deno task style --from an Inkscape-like curve drawing writes a sane style", async () => {
  const dir = await Deno.makeTempDir();
  const file = join(dir, "hand.svg");
  Deno.writeTextFileSync(
    file,
    svg(
      `<g transform="translate(10,20)"><path d="m 0,0 c 5,-10 10,-10 15,0 s 10,10 15,0"/>` +
        `<path d="m 40,0 q 5,-12 10,0 t 10,0"/></g>`,
      ` width="100mm" height="30mm"`,
    ),
  );
  const out = join(dir, "style.json");
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "style", "--from", file, "--text", "am", "--out", out],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  const style = JSON.parse(Deno.readTextFileSync(out)) as { strokes: { x: number[]; y: number[] }[] };
  assert.equal(style.strokes.length, 2);
  const xs = style.strokes.flatMap((s) => s.x);
  assert.ok(Math.max(...xs.map(Math.abs)) < 1e5, `coordinates ${Math.max(...xs)}`);
  assert.ok(style.strokes.every((s) => s.x.length > 5), "each curve kept as many points, not its first");
});
