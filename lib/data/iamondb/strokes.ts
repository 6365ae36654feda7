/**
 * IAM-OnDB `<StrokeSet>` XML → strokes of pen positions.
 *
 * The files are small, regular and machine-written, so a tag scanner is used
 * instead of a general XML parser (12,195 files parse in a few seconds); any
 * tag it cannot read is an error naming the file and line.
 * @module
 */
import { DataError, lineAt } from "../errors.ts";

/** One pen-down trajectory, in tablet coordinates (y grows downwards). */
export interface Stroke {
  x: number[];
  y: number[];
}

const TAG = /<(\/?)(StrokeSet|Stroke|Point)\b([^>]*?)(\/?)>/g;
const ATTR = { x: /\bx="([^"]*)"/, y: /\by="([^"]*)"/ };
/** A decimal number, strictly: `.`, `1.2.3`, `1e`, `0x10` and the empty string are not. */
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The `name` attribute of a `<Point>` as a number; a missing or malformed one names file, line and value. */
function coordinate(attrs: string, name: "x" | "y", file: string, line: number): number {
  const m = attrs.match(ATTR[name]);
  if (!m) throw new DataError(file, `<Point> has no ${name} attribute`, line);
  const v = Number(m[1]);
  if (!NUMBER.test(m[1].trim()) || !Number.isFinite(v)) {
    throw new DataError(file, `<Point> attribute ${name}="${m[1]}" is not a number`, line);
  }
  return v;
}

/**
 * Parses the `<StrokeSet>` of one lineStrokes file. Throws `DataError` for a
 * missing `<StrokeSet>`, a `<Point>` outside a stroke or whose x or y is
 * missing or not a number (`y="."` is an error, never a NaN),
 * an unclosed stroke, or a stroke with no points.
 */
export function parseStrokeSet(xml: string, file: string): Stroke[] {
  const strokes: Stroke[] = [];
  let current: Stroke | undefined;
  let currentAt = 0;
  let sawSet = false, closedSet = false;
  for (const m of xml.matchAll(TAG)) {
    const [, close, tag, attrs, selfClose] = m;
    const at = () => lineAt(xml, m.index!);
    if (tag === "StrokeSet") {
      if (close) closedSet = true;
      else sawSet = true;
    } else if (tag === "Stroke") {
      if (close) {
        if (!current) throw new DataError(file, "</Stroke> without <Stroke>", at());
        if (current.x.length === 0) throw new DataError(file, "stroke has no points", currentAt);
        strokes.push(current);
        current = undefined;
      } else {
        if (current) throw new DataError(file, "<Stroke> inside an unclosed <Stroke>", at());
        current = { x: [], y: [] };
        currentAt = at();
        if (selfClose) throw new DataError(file, "stroke has no points", currentAt);
      }
    } else {
      if (!current) throw new DataError(file, "<Point> outside a <Stroke>", at());
      current.x.push(coordinate(attrs, "x", file, at()));
      current.y.push(coordinate(attrs, "y", file, at()));
    }
  }
  if (!sawSet) throw new DataError(file, "no <StrokeSet> element (not a lineStrokes file, or truncated)");
  if (current) throw new DataError(file, "file ends inside a <Stroke>", currentAt);
  if (!closedSet) {
    throw new DataError(file, "file ends before </StrokeSet> (truncated?)", lineAt(xml, xml.length));
  }
  if (strokes.length === 0) throw new DataError(file, "<StrokeSet> holds no strokes");
  return strokes;
}
