/**
 * `deno task style --from my-lines.svg|json --text "what the lines say" --out style.json`:
 * a style file (`lib/data/iamondb/style.ts`) from your own handwriting: the
 * strokes of an SVG (its paths' M/L points and polylines, e.g. from a tablet
 * app or `deno task write --file … --format svg`) or JSON (a style file, or
 * strokes as `[{ "x": [...], "y": [...] }]` or `[[[x, y], ...], ...]`), scaled
 * and resampled as IAM-OnDB lines are. `deno task write --style style.json`
 * and the web page's Import read it.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import type { Stroke } from "../data/iamondb/strokes.ts";
import { parseStyle, styleFromDrawing } from "../data/iamondb/style.ts";
import { assertWritableFile, writeFileAtomic } from "../util/files.ts";
import { refuseExtraArguments } from "./args.ts";
import { UsageError } from "./errors.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

/** The pen strokes of an SVG: each path's subpaths (M/L, absolute) and each polyline. */
export function strokesFromSvg(svg: string): Stroke[] {
  const strokes: Stroke[] = [];
  for (const m of svg.matchAll(/<path[^>]*\sd="([^"]+)"/g)) {
    let s: Stroke | undefined;
    for (const c of m[1].matchAll(/([MLml])\s*(-?[\d.]+)[ ,]+(-?[\d.]+)/g)) {
      if (c[1] === "m" || c[1] === "l") {
        throw new Error("relative path commands (m, l) are not read: export absolute coordinates");
      }
      if (c[1] === "M") strokes.push(s = { x: [], y: [] });
      s!.x.push(Number(c[2]));
      s!.y.push(Number(c[3]));
    }
  }
  for (const m of svg.matchAll(/<polyline[^>]*\spoints="([^"]+)"/g)) {
    const v = m[1].trim().split(/[\s,]+/).map(Number);
    strokes.push({ x: v.filter((_, i) => i % 2 === 0), y: v.filter((_, i) => i % 2 === 1) });
  }
  return strokes.filter((s) => s.x.length > 0);
}

/** Strokes from JSON: a style file, `[{x, y}]`, or `[[[x, y], ...], ...]`. */
export function strokesFromJson(text: string): Stroke[] {
  const v = JSON.parse(text);
  const list = Array.isArray(v) ? v : v?.strokes;
  if (!Array.isArray(list)) {
    throw new Error('JSON: expected a style file, [{ "x": [...], "y": [...] }] or [[[x, y], ...]]');
  }
  return list.map((s: unknown) =>
    Array.isArray(s)
      ? { x: (s as number[][]).map((p) => p[0]), y: (s as number[][]).map((p) => p[1]) }
      : (s as Stroke)
  );
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      from: { type: "string" },
      text: { type: "string" },
      out: { type: "string", default: "style.json" },
    },
  });
  refuseExtraArguments(
    positionals,
    0,
    'deno task style --from lines.svg --text "what they say" [--out style.json]',
  );
  if (!values.from || !values.text) {
    throw new UsageError('deno task style --from lines.svg|json --text "what they say" [--out style.json]');
  }
  try {
    assertWritableFile(values.out, { ext: [".json"], what: "--out" }); // before any work
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const text = await Deno.readTextFile(values.from);
  let strokes: Stroke[];
  try {
    strokes = values.from.endsWith(".json") ? strokesFromJson(text) : strokesFromSvg(text);
  } catch (e) {
    throw new Error(`${values.from}: ${(e as Error).message}`);
  }
  const style = styleFromDrawing([strokes], values.text);
  const json = JSON.stringify(style) + "\n";
  parseStyle(json, `the style made from ${values.from}`); // never write one that would be refused when read
  writeFileAtomic(values.out, json); // a kill leaves the previous style file whole
  console.log(
    `${values.out}: ${style.strokes.length} strokes saying "${style.text}" (from ${strokes.length} in ${values.from})`,
  );
}
