/**
 * `deno task style --from my-lines.svg|json --text "what the lines say" --out style.json`:
 * a style file (`lib/data/iamondb/style.ts`) from your own handwriting: the
 * strokes of an SVG (any path — lines, curves, arcs, relative or absolute,
 * under group transforms — and polylines, polygons and lines, e.g. from a
 * tablet app, Inkscape or `deno task write --file … --format svg`; anything else
 * that draws is refused by name, `lib/plots/svg_strokes.ts`) or JSON (a style file, or
 * strokes as `[{ "x": [...], "y": [...] }]` or `[[[x, y], ...], ...]`), scaled
 * and resampled as IAM-OnDB lines are. `deno task write --style style.json`
 * and the web page's Import read it.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import type { Stroke } from "../data/iamondb/strokes.ts";
import { strokesFromSvg } from "../plots/svg_strokes.ts";
import { parseStyle, styleFromDrawing } from "../data/iamondb/style.ts";
import { assertWritableFile, writeFileAtomic } from "../util/files.ts";
import { refuseExtraArguments } from "./args.ts";
import { UsageError } from "./errors.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

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
