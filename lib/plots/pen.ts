/**
 * Pen strokes as plotter-ready SVG: one stroke-only path per pen stroke, no
 * fills, real units (mm). The page writer, `deno task write` and the document
 * writer draw their lines with it.
 * @module
 */
import type { Stroke } from "../data/iamondb/strokes.ts";

/** How strokes become ink on paper. */
export interface PenStyle {
  /** Millimetres per tablet unit. */
  mmPerUnit: number;
  /** Line width in mm. @default 0.4 */
  strokeWidthMm?: number;
  /** @default "black" */
  colour?: string;
  /** Margin around the ink in mm (when the page size is not given). @default 5 */
  marginMm?: number;
}

const num = (v: number) => Number(v.toFixed(2)).toString();

/** The path elements of `strokes` (y down), one per pen stroke, coordinates in tablet units. */
export function penPaths(strokes: Stroke[], o: PenStyle): string {
  const width = (o.strokeWidthMm ?? 0.4) / o.mmPerUnit;
  return strokes.filter((s) => s.x.length > 0).map((s) => {
    const d = s.x.map((x, i) => `${i === 0 ? "M" : "L"}${num(x)} ${num(s.y[i])}`).join(" ");
    // a single point still leaves a dot: a zero-length segment with round caps
    const dot = s.x.length === 1 ? ` L${num(s.x[0])} ${num(s.y[0])}` : "";
    return `<path d="${d}${dot}" fill="none" stroke="${o.colour ?? "black"}" stroke-width="${num(width)}" ` +
      `stroke-linecap="round" stroke-linejoin="round"/>`;
  }).join("\n");
}

/**
 * A standalone SVG of `strokes` (tablet units, y down) in mm: sized to the ink
 * plus margins, or to `page` (width, height in mm) with the ink placed at the
 * origin plus `marginMm`.
 */
export function penSvg(strokes: Stroke[], o: PenStyle & { page?: [number, number] }): string {
  const xs = strokes.flatMap((s) => s.x), ys = strokes.flatMap((s) => s.y);
  const m = (o.marginMm ?? 5) / o.mmPerUnit;
  const [x0, y0] = o.page ? [-m, -m] : [Math.min(...xs, 0) - m, Math.min(...ys, 0) - m];
  const [w, h] = o.page
    ? [o.page[0] / o.mmPerUnit, o.page[1] / o.mmPerUnit]
    : [Math.max(...xs, 0) + m - x0, Math.max(...ys, 0) + m - y0];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${num(w * o.mmPerUnit)}mm" height="${
    num(h * o.mmPerUnit)
  }mm" viewBox="${num(x0)} ${num(y0)} ${num(w)} ${num(h)}">\n${penPaths(strokes, o)}\n</svg>\n`;
}

/** Moves strokes by (dx, dy). */
export function shiftStrokes(strokes: Stroke[], dx: number, dy: number): Stroke[] {
  return strokes.map((s) => ({ x: s.x.map((x) => x + dx), y: s.y.map((y) => y + dy) }));
}

/** Offsets' absolute strokes (y up, from `offsetsToStrokes`) flipped to y down for SVG. */
export function yDown(strokes: Stroke[]): Stroke[] {
  return strokes.map((s) => ({ x: s.x, y: s.y.map((y) => -y) }));
}
