/**
 * Hershey's single-stroke fonts (Debian's `hershey-fonts-data`, `.jhf` files)
 * as pen strokes: drawings nobody trained on, in print (`futural`, `timesr`)
 * and cursive (`scripts`, `cursive`), for measuring how priming with a
 * person's hand works. A glyph line is a 5-character id, a 3-character vertex
 * count, the left and right margins, then coordinate pairs as letters offset
 * from `R` (y down); " R" lifts the pen. Long glyphs wrap onto the next line.
 * @module
 */
import type { Stroke } from "./iamondb/strokes.ts";

/** One glyph: its strokes (font units, y down, origin at the glyph's centre) and its margins. */
export interface HersheyGlyph {
  left: number;
  right: number;
  strokes: Stroke[];
}

/** Where Debian installs the fonts. */
export const HERSHEY_DIR = "/usr/share/hershey-fonts";

/** The glyphs of a `.jhf` file, in file order (ASCII 32 onwards for the Latin faces). */
export function parseJhf(text: string, file = "font.jhf"): HersheyGlyph[] {
  const glyphs: HersheyGlyph[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].replace(/\r$/, "");
    if (!line.trim()) continue;
    const count = Number(line.slice(5, 8));
    if (!Number.isInteger(count) || count < 1) {
      throw new Error(`${file}:${i + 1}: no vertex count in "${line.slice(0, 12)}"`);
    }
    while (line.length < 8 + 2 * count && i + 1 < lines.length) line += lines[++i].replace(/\r$/, ""); // wrapped
    const body = line.slice(8, 8 + 2 * count);
    if (body.length < 2 * count) {
      throw new Error(`${file}:${i + 1}: glyph cut short (${body.length / 2} of ${count} pairs)`);
    }
    const v = (k: number) => body.charCodeAt(k) - 82; // 'R'
    const strokes: Stroke[] = [];
    let s: Stroke | undefined;
    for (let k = 2; k < body.length; k += 2) {
      if (body[k] === " " && body[k + 1] === "R") {
        s = undefined;
        continue;
      }
      if (!s) strokes.push(s = { x: [], y: [] });
      s.x.push(v(k)), s.y.push(v(k + 1));
    }
    glyphs.push({ left: v(0), right: v(1), strokes });
  }
  return glyphs;
}

/** Loads a face by name (`futural`, `scripts`, …) from `HERSHEY_DIR`. */
export function loadHershey(name: string, dir = HERSHEY_DIR): HersheyGlyph[] {
  return parseJhf(Deno.readTextFileSync(`${dir}/${name}.jhf`), `${name}.jhf`);
}

/**
 * `text` set in the face as one line of strokes (font units, y down, the
 * baseline near y = 9 for the Latin faces), each glyph advanced by its
 * margins. Characters outside the face (below space, above `~`) are refused.
 */
export function hersheyLine(glyphs: HersheyGlyph[], text: string): Stroke[] {
  const out: Stroke[] = [];
  let x = 0;
  for (const ch of text) {
    const g = glyphs[ch.charCodeAt(0) - 32];
    if (!g) throw new Error(`the Hershey face has no glyph for “${ch}”`);
    x -= g.left;
    for (const s of g.strokes) out.push({ x: s.x.map((v) => v + x), y: [...s.y] });
    x += g.right;
  }
  return out;
}
