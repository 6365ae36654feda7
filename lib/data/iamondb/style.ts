/**
 * A handwriting style: a few lines written by a person (with a mouse, pen or
 * finger, or exported from the web writer) and their text, turned into a
 * prime for the synthesis network exactly as IAM-OnDB lines are preprocessed
 * (section 5.5's primed sampling): scaled to the tablet's units, resampled to
 * its pen spacing, offsets with end-of-stroke bits, normalised with the
 * training statistics. The style file is what the page exports and
 * `deno task write --style` reads; it holds the writer's own strokes only.
 * @module
 */
import { normalise, type OffsetStats, strokesToOffsets } from "./offsets.ts";
import type { Stroke } from "./strokes.ts";

/** Median ink height of an IAM-OnDB training line, tablet units (tests/data/style_test.ts checks it on the data). */
export const IAM_LINE_HEIGHT = 578;
/** Median distance between successive pen-down points in IAM-OnDB, tablet units (checked likewise). */
export const IAM_PEN_STEP = 18.4;

/** A style file (JSON): strokes in tablet units, y down as IAM-OnDB, one line. */
export interface StyleFile {
  format: "graves-style";
  version: 1;
  /** What the strokes say (the prime's text). */
  text: string;
  strokes: Stroke[];
}

/** Median pen-down path length per character of an IAM-OnDB training line, tablet units (first 2,000 lines). */
export const IAM_PEN_LENGTH_PER_CHAR = 412;

/** A stroke's length along its points. */
export function strokeLength(s: Stroke): number {
  let d = 0;
  for (let i = 1; i < s.x.length; i++) d += Math.hypot(s.x[i] - s.x[i - 1], s.y[i] - s.y[i - 1]);
  return d;
}

/** Points of a stroke every `step` units along its length (its first and last points kept). */
export function resampleStroke(s: Stroke, step: number): Stroke {
  const out: Stroke = { x: [s.x[0]], y: [s.y[0]] };
  let carry = 0;
  for (let i = 1; i < s.x.length; i++) {
    const [x0, y0, x1, y1] = [s.x[i - 1], s.y[i - 1], s.x[i], s.y[i]];
    const d = Math.hypot(x1 - x0, y1 - y0);
    let at = step - carry;
    for (; at <= d; at += step) {
      out.x.push(x0 + ((x1 - x0) * at) / d);
      out.y.push(y0 + ((y1 - y0) * at) / d);
    }
    carry = d - (at - step);
  }
  const n = s.x.length - 1;
  if (n > 0 && (out.x.at(-1) !== s.x[n] || out.y.at(-1) !== s.y[n])) {
    out.x.push(s.x[n]);
    out.y.push(s.y[n]);
  }
  return out;
}

/**
 * Drawn lines (any units, y down; each line a list of strokes) → one style
 * line: the drawing scaled so that its pen travels as far per character of
 * `text` as IAM-OnDB's writers' pens do (`size: "pen-length"`, the default),
 * or each line so that its ink is as tall as an IAM-OnDB line
 * (`"ink-height"`); the lines set one after another left to right (IAM primes
 * are single lines), every stroke resampled to IAM's pen spacing. Sizing by
 * pen length measured better (`lib/experiments/own_hand.ts`, Tesseract reading the
 * primed output; bias 0.75, 3 targets × 2 seeds): words read with Hershey
 * print primes 6% → 26%, with real IAM-OnDB lines through this path 34% →
 * 44% (46% through `--prime`; unprimed 48%); Hershey cursive stayed at 6-7%.
 */
export function styleFromDrawing(
  lines: Stroke[][],
  text: string,
  o: { size?: "ink-height" | "pen-length" } = {},
): StyleFile {
  const strokes: Stroke[] = [];
  let right = 0;
  const drawn = lines.filter((l) => l.some((s) => s.x.length > 0));
  const chars = [...text.trim().replace(/\s+/g, " ")].length;
  const penLength = drawn.flat().reduce((a, s) => a + strokeLength(s), 0);
  for (const line of drawn) {
    const xs = line.flatMap((s) => s.x), ys = line.flatMap((s) => s.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const scale = o.size === "ink-height"
      ? IAM_LINE_HEIGHT / Math.max(y1 - y0, 1e-9)
      : (IAM_PEN_LENGTH_PER_CHAR * chars) / Math.max(penLength, 1e-9);
    const shift = strokes.length ? right + IAM_LINE_HEIGHT * 0.4 : 0; // a word space between drawn lines
    for (const s of line.filter((s) => s.x.length > 0)) {
      strokes.push(resampleStroke({
        x: s.x.map((x) => shift + (x - x0) * scale),
        y: s.y.map((y) => (y - y0) * scale),
      }, IAM_PEN_STEP));
    }
    right = shift + (x1 - x0) * scale;
  }
  if (strokes.length === 0) throw new Error("the drawing has no strokes: write a line first");
  return { format: "graves-style", version: 1, text: text.trim().replace(/\s+/g, " "), strokes };
}

/** The largest coordinate a style file may hold (tablet units; a drawing is rescaled to the data's size anyway). */
export const MAX_COORDINATE = 1e6;

/**
 * The most pen points a style holds: about ten IAM-OnDB lines (a line has ~630).
 * The network reads every point before it writes, so a 40,000-point style cost
 * the page about a minute per line.
 */
export const MAX_STYLE_POINTS = 10_000;

/** A style file's JSON checked field by field; errors name the file and what is wrong. */
export function parseStyle(json: string, file = "style"): StyleFile {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const s = v as Partial<StyleFile>;
  if (s?.format !== "graves-style" || s.version !== 1) {
    throw new Error(`${file}: not a style file (format "graves-style", version 1)`);
  }
  if (typeof s.text !== "string" || s.text.trim() === "") {
    throw new Error(`${file}: "text" must say what the strokes write`);
  }
  if (!Array.isArray(s.strokes) || s.strokes.length === 0) throw new Error(`${file}: "strokes" is empty`);
  s.strokes.forEach((k, i) => {
    const ok = k && Array.isArray(k.x) && Array.isArray(k.y) && k.x.length === k.y.length && k.x.length > 0 &&
      [...k.x, ...k.y].every((n) => typeof n === "number" && Number.isFinite(n));
    if (!ok) throw new Error(`${file}: stroke ${i + 1} needs x and y of equal length with finite numbers`);
    const far = [...k.x, ...k.y].find((n) => Math.abs(n) > MAX_COORDINATE);
    if (far !== undefined) {
      throw new Error(
        `${file}: stroke ${i + 1} has a coordinate of ${far}, beyond ±${
          MAX_COORDINATE.toLocaleString("en-US")
        } ` +
          `(IAM-OnDB's tablet spans about 10,000 units; a drawing is rescaled anyway)`,
      );
    }
  });
  const points = s.strokes.reduce((a, k) => a + k.x.length, 0);
  if (points > MAX_STYLE_POINTS) {
    throw new Error(
      `${file}: ${points.toLocaleString("en-US")} pen points; a style holds at most ${
        MAX_STYLE_POINTS.toLocaleString("en-US")
      } (about ten lines of handwriting)`,
    );
  }
  return s as StyleFile;
}

/** The prime the synthesis network reads: normalised offsets (null first point) and the text. */
export function primeFromStyle(
  s: StyleFile,
  stats: OffsetStats,
): { points: Float32Array; n: number; text: string } {
  const { offsets } = strokesToOffsets(s.strokes);
  offsets.points.fill(0, 0, 3); // the first point is the null vector, as every IAM-OnDB line (section 4.1)
  return { points: normalise(offsets, stats), n: offsets.n, text: s.text };
}
