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
 * origin plus `marginMm`; with `layer`, the paths in one Inkscape layer of that name.
 */
export function penSvg(strokes: Stroke[], o: PenStyle & { page?: [number, number]; layer?: string }): string {
  const xs = strokes.flatMap((s) => s.x), ys = strokes.flatMap((s) => s.y);
  const m = (o.marginMm ?? 5) / o.mmPerUnit;
  const [x0, y0] = o.page ? [-m, -m] : [Math.min(...xs, 0) - m, Math.min(...ys, 0) - m];
  const [w, h] = o.page
    ? [o.page[0] / o.mmPerUnit, o.page[1] / o.mmPerUnit]
    : [Math.max(...xs, 0) + m - x0, Math.max(...ys, 0) + m - y0];
  const paths = penPaths(strokes, o);
  // an Inkscape layer (AxiDraw's software plots layer by layer, named "<number> <name>")
  const body = o.layer
    ? `<g inkscape:groupmode="layer" inkscape:label="${
      o.layer.replace(/[<>&"]/g, "")
    }" id="layer1">\n${paths}\n</g>`
    : paths;
  const ns = o.layer ? ` xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"` : "";
  return `<svg xmlns="http://www.w3.org/2000/svg"${ns} width="${num(w * o.mmPerUnit)}mm" height="${
    num(h * o.mmPerUnit)
  }mm" viewBox="${num(x0)} ${num(y0)} ${num(w)} ${num(h)}">\n${body}\n</svg>\n`;
}

/** Moves strokes by (dx, dy). */
export function shiftStrokes(strokes: Stroke[], dx: number, dy: number): Stroke[] {
  return strokes.map((s) => ({ x: s.x.map((x) => x + dx), y: s.y.map((y) => y + dy) }));
}

/** Offsets' absolute strokes (y up, from `offsetsToStrokes`) flipped to y down for SVG. */
export function yDown(strokes: Stroke[]): Stroke[] {
  return strokes.map((s) => ({ x: s.x, y: s.y.map((y) => -y) }));
}

/** Ramer-Douglas-Peucker: the fewest points within `tolerance` of the stroke (same units). */
export function simplifyStroke(s: Stroke, tolerance: number): Stroke {
  const n = s.x.length;
  if (n <= 2 || tolerance <= 0) return s;
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const dx = s.x[b] - s.x[a], dy = s.y[b] - s.y[a], len = Math.hypot(dx, dy);
    let worst = -1, far = 0;
    for (let i = a + 1; i < b; i++) {
      const d = len === 0
        ? Math.hypot(s.x[i] - s.x[a], s.y[i] - s.y[a])
        : Math.abs(dy * (s.x[i] - s.x[a]) - dx * (s.y[i] - s.y[a])) / len;
      if (d > far) far = d, worst = i;
    }
    if (worst >= 0 && far > tolerance) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  return { x: s.x.filter((_, i) => keep[i]), y: s.y.filter((_, i) => keep[i]) };
}

/** Strokes scaled by `k` (tablet units → mm). */
export function scaleStrokes(strokes: Stroke[], k: number): Stroke[] {
  return strokes.map((s) => ({ x: s.x.map((x) => x * k), y: s.y.map((y) => y * k) }));
}

/**
 * Pages side by side as one figure (thumbnails at `pxPerMm`), each under its
 * label: e.g. one text written three ways.
 */
export function pagesFigure(
  pages: { label: string; strokes: Stroke[] }[],
  size: [number, number],
  o: { pxPerMm?: number; title?: string; caption?: string } = {},
): { svg: string; width: number; height: number } {
  const k = o.pxPerMm ?? 2, gap = 16, top = o.title ? 48 : 24, bottom = o.caption ? 22 : 6;
  const [w, h] = [size[0] * k, size[1] * k];
  const width = pages.length * w + (pages.length + 1) * gap, height = top + h + bottom;
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const body = pages.map((p, i) => {
    const x = gap + i * (w + gap);
    return `<text x="${x}" y="${top - 8}" font-size="13">${esc(p.label)}</text>` +
      `<rect x="${x}" y="${top}" width="${w}" height="${h}" fill="white" stroke="#bbb"/>` +
      `<svg x="${x}" y="${top}" width="${w}" height="${h}" viewBox="0 0 ${size[0]} ${size[1]}">` +
      penPaths(p.strokes, { mmPerUnit: 1, strokeWidthMm: 0.35 }) + `</svg>`;
  }).join("");
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="DejaVu Sans"><rect width="100%" height="100%" fill="#f4f4f4"/>` +
    (o.title ? `<text x="${gap}" y="22" font-size="15" font-weight="bold">${esc(o.title)}</text>` : "") +
    body +
    (o.caption
      ? `<text x="${gap}" y="${height - 7}" font-size="11" fill="#444">${esc(o.caption)}</text>`
      : "") +
    `</svg>`;
  return { svg, width, height };
}
