/**
 * Text laid out as printed pages (section 3.2 shows generated Wikipedia as
 * pages of text beside real ones): columns of monospace lines, hard-wrapped,
 * as an SVG figure (PNG through `toPng`, which loads the monospace font).
 * @module
 */
import type { Figure } from "./render.ts";
import { assertLabel } from "../util/text.ts";

/** The monospace face text pages use (DejaVu Sans Mono, beside the figures' DejaVu Sans). */
export const MONO_FAMILY = "DejaVu Sans Mono";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * `text` as lines of at most `cols` characters: its own line breaks kept,
 * longer lines broken at the last space (or hard, for a long word); tabs as spaces.
 */
export function hardWrap(text: string, cols: number): string[] {
  const out: string[] = [];
  for (let line of text.replaceAll("\t", "    ").split("\n")) {
    while (line.length > cols) {
      const cut = line.lastIndexOf(" ", cols);
      const at = cut > cols / 2 ? cut : cols;
      out.push(line.slice(0, at));
      line = line.slice(at === cut ? at + 1 : at);
    }
    out.push(line);
  }
  return out;
}

/** One column of a page: a heading and its text. */
export interface PageColumn {
  heading: string;
  text: string;
}

/**
 * The first page of each column's text, side by side: `rows` lines of `cols`
 * characters each, the heading above, a title and caption around them.
 */
export function textPageFigure(
  columns: PageColumn[],
  o: { title?: string; caption?: string; cols?: number; rows?: number; fontSize?: number } = {},
): Figure {
  assertLabel(o.title, "a figure title");
  assertLabel(o.caption, "a figure caption");
  const cols = o.cols ?? 80, rows = o.rows ?? 64, size = o.fontSize ?? 10;
  const charW = 0.602 * size, lineH = 1.3 * size, gap = 24, pad = 10;
  const colW = cols * charW;
  const width = Math.ceil(2 * pad + columns.length * colW + (columns.length - 1) * gap);
  const top = o.title ? 30 : 8, head = 18;
  const height = Math.ceil(top + head + rows * lineH + (o.caption ? 26 : 10));
  const parts = columns.map((c, i) => {
    const x = pad + i * (colW + gap);
    const lines = hardWrap(c.text, cols).slice(0, rows);
    const body = lines.map((l, j) =>
      `<text x="${x.toFixed(1)}" y="${(top + head + (j + 1) * lineH).toFixed(1)}" xml:space="preserve">${
        esc(l)
      }</text>`
    ).join("");
    return `<text x="${x.toFixed(1)}" y="${
      top + 12
    }" font-family="DejaVu Sans" font-size="12" font-weight="bold">${
      esc(c.heading)
    }</text><g font-family="${MONO_FAMILY}" font-size="${size}">${body}</g>` +
      (i > 0
        ? `<line x1="${x - gap / 2}" x2="${x - gap / 2}" y1="${top}" y2="${height - 20}" stroke="#ccc"/>`
        : "");
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    (o.title
      ? `<text x="${pad}" y="20" font-family="DejaVu Sans" font-size="14" font-weight="bold">${
        esc(o.title)
      }</text>`
      : "") +
    parts.join("") +
    (o.caption
      ? `<text x="${pad}" y="${height - 8}" font-family="DejaVu Sans" font-size="11" fill="#444">${
        esc(o.caption)
      }</text>`
      : "") +
    `</svg>`;
  return { svg, width, height };
}
