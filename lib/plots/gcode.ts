/**
 * Pen strokes for GRBL-style pen plotters: G-code in millimetres with
 * configurable pen-up and pen-down commands (a servo's `M3 S0` / `M3 S90`, or
 * Z heights `G0 Z5` / `G1 Z0`), a drawing feed rate, and strokes ordered so
 * that the pen-up travel between them stays short. `parseGcode` reads such
 * a file back into strokes (tests check every coordinate).
 * @module
 */
import type { Stroke } from "../data/iamondb/strokes.ts";

/** How the plotter lifts and lowers its pen, and how fast it draws. */
export interface GcodeOptions {
  /** @default "M3 S0" */
  penUp?: string;
  /** @default "M3 S90" */
  penDown?: string;
  /** Drawing feed rate, mm/min. @default 2000 */
  feed?: number;
  /** Page height in mm: G-code's y grows up from the bottom-left, the page's down from the top-left. */
  pageHeightMm: number;
}

/**
 * Strokes in drawing order for a short pen-up path: greedy nearest neighbour
 * from the origin (each stroke is drawn in its own direction).
 */
export function orderStrokes(strokes: Stroke[]): Stroke[] {
  const left = strokes.filter((s) => s.x.length > 0);
  const out: Stroke[] = [];
  let x = 0, y = 0;
  while (left.length) {
    let best = 0, bestD = Infinity;
    left.forEach((s, i) => {
      const d = Math.hypot(s.x[0] - x, s.y[0] - y);
      if (d < bestD) best = i, bestD = d;
    });
    const [s] = left.splice(best, 1);
    out.push(s);
    x = s.x.at(-1)!, y = s.y.at(-1)!;
  }
  return out;
}

/** Pen-up travel in mm along `strokes` in their order, from the origin. */
export function travel(strokes: Stroke[]): number {
  let x = 0, y = 0, d = 0;
  for (const s of strokes) {
    d += Math.hypot(s.x[0] - x, s.y[0] - y);
    x = s.x.at(-1)!, y = s.y.at(-1)!;
  }
  return d;
}

const mm = (v: number) => v.toFixed(3);

/** G-code for `strokes` (mm, page coordinates, y down), drawn in the given order. */
export function toGcode(strokes: Stroke[], o: GcodeOptions): string {
  const up = o.penUp ?? "M3 S0", down = o.penDown ?? "M3 S90", feed = o.feed ?? 2000;
  const Y = (y: number) => mm(o.pageHeightMm - y);
  const out = [
    "; handwriting synthesis (Graves 2013), one stroke per pen-down",
    "G21 ; mm",
    "G90 ; absolute",
    up,
  ];
  for (const s of strokes.filter((s) => s.x.length > 0)) {
    out.push(`G0 X${mm(s.x[0])} Y${Y(s.y[0])}`, down);
    for (let i = 1; i < s.x.length; i++) out.push(`G1 X${mm(s.x[i])} Y${Y(s.y[i])} F${feed}`);
    out.push(up);
  }
  out.push("G0 X0 Y0");
  return out.join("\n") + "\n";
}

/** Strokes back from `toGcode`'s output (mm, y down): what the plotter draws between pen-down and pen-up. */
export function parseGcode(text: string, o: GcodeOptions): Stroke[] {
  const up = o.penUp ?? "M3 S0", down = o.penDown ?? "M3 S90";
  const strokes: Stroke[] = [];
  let x = 0, y = 0, current: Stroke | undefined;
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/;.*$/, "").trim();
    if (!line) return;
    if (line === down) current = { x: [x], y: [y] };
    else if (line === up) {
      if (current) strokes.push(current);
      current = undefined;
    } else if (/^G[01]\b/.test(line)) {
      const X = line.match(/X(-?[\d.]+)/), Yv = line.match(/Y(-?[\d.]+)/);
      if (!X || !Yv) throw new Error(`G-code line ${i + 1}: a move without X and Y: ${line}`);
      x = Number(X[1]), y = o.pageHeightMm - Number(Yv[1]);
      current?.x.push(x), current?.y.push(y);
    } else if (!/^(G21|G90|M\d+.*)$/.test(line)) throw new Error(`G-code line ${i + 1}: unexpected ${line}`);
  });
  return strokes;
}
