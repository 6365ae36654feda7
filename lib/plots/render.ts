/**
 * Server-side figures: Observable Plot rendered into a virtual DOM
 * (linkedom), saved as SVG and PNG (resvg, with a real font file loaded —
 * without one, text silently vanishes), and shown inline in Deno's Jupyter
 * kernel.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { Resvg } from "@resvg/resvg-js";
import { dirname, join } from "node:path";
import { displayPath, exists } from "../util/paths.ts";
import { writeFileAtomic } from "../util/files.ts";
import { assertLabel } from "../util/text.ts";
import { jupyter } from "../util/jupyter.ts";
import { base64 } from "./raster.ts";

/** Default font (Debian's fonts-dejavu-core); `GRAVES_FONT` overrides. */
export const DEFAULT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/** The project's figure style: one font, one size, readable on a page. */
export const STYLE = { fontFamily: "DejaVu Sans", fontSize: 12, width: 760 } as const;

/** The few DOM element members used here (Deno has no DOM types). */
interface DomElement {
  tagName: string;
  outerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  querySelectorAll(selector: string): Iterable<DomElement>;
}

/** A rendered figure. */
export interface Figure {
  /** Standalone SVG text (with xmlns). */
  svg: string;
  width: number;
  height: number;
}

/** Renders Plot options to a standalone SVG figure (title/caption optional). */
export function plot(options: Plot.PlotOptions & { title?: string; caption?: string }): Figure {
  const { document } = parseHTML("<!DOCTYPE html><html><body></body></html>") as unknown as {
    document: never;
  };
  const { title, caption, ...rest } = options;
  assertLabel(title, "a figure title"); // the full history belongs in metrics.json, not on a figure
  assertLabel(caption, "a figure caption");
  const el = Plot.plot({
    document,
    width: STYLE.width,
    style: {
      fontFamily: STYLE.fontFamily,
      fontSize: `${STYLE.fontSize}px`,
      background: "white",
      color: "black",
    },
    ...rest,
  }) as unknown as DomElement;
  // With a legend Plot returns an HTML <figure>; figures here label marks directly, so keep the chart itself.
  const svgEl = el.tagName.toLowerCase() === "svg" ? el : [...el.querySelectorAll("svg")].reduce((
    a,
    b,
  ) => (Number(b.getAttribute("width")) > Number(a.getAttribute("width")) ? b : a));
  const width = Number(svgEl.getAttribute("width")), height = Number(svgEl.getAttribute("height"));
  svgEl.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  let svg = svgEl.outerHTML;
  if (title || caption) svg = withText(svg, width, height, title, caption);
  return { svg, width, height: height + (title ? 24 : 0) + captionHeight(caption, width) };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** `text` broken at spaces into lines of at most `chars` characters. */
export function wrapLines(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

// An 11 px caption averages about 6 px per character.
const captionLines = (caption: string, w: number) =>
  wrapLines(caption, Math.max(20, Math.floor((w - 16) / 6)));
const captionHeight = (caption: string | undefined, w: number) =>
  caption ? 6 + 14 * captionLines(caption, w).length : 0;

/** Wraps an SVG with a title above and a caption below (wrapped to the figure's width). */
function withText(svg: string, w: number, h: number, title?: string, caption?: string): string {
  const top = title ? 24 : 0, total = h + top + captionHeight(caption, w);
  const below = caption
    ? captionLines(caption, w).map((l, i) =>
      `<text x="8" y="${h + top + 14 * (i + 1) - 2}" font-size="11" fill="#444">${esc(l)}</text>`
    ).join("")
    : "";
  const inner = svg.replace(/^<svg/, `<svg y="${top}"`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${total}" viewBox="0 0 ${w} ${total}" ` +
    `font-family="${STYLE.fontFamily}"><rect width="100%" height="100%" fill="white"/>` +
    (title ? `<text x="8" y="17" font-size="14" font-weight="bold">${esc(title)}</text>` : "") + inner +
    below +
    `</svg>`;
}

/** Stacks figures vertically into one. */
export function stack(figures: Figure[]): Figure {
  const width = Math.max(...figures.map((f) => f.width));
  let y = 0;
  const parts = figures.map((f) => {
    const s = f.svg.replace(/^<svg/, `<svg y="${y}"`);
    y += f.height;
    return s;
  });
  return {
    svg:
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}">` +
      `<rect width="100%" height="100%" fill="white"/>${parts.join("")}</svg>`,
    width,
    height: y,
  };
}

/** DejaVu Sans Mono beside the figure font, when there (text pages, `text_page.ts`). */
const monoBeside = (font: string) => {
  const mono = join(dirname(font), "DejaVuSansMono.ttf");
  return exists(mono) ? [mono] : [];
};

/** Each figure's PNG at scale 2, rendered once for showing and saving. */
const rendered = new WeakMap<Figure, Uint8Array>();

/** SVG → PNG at `scale` (2 = retina), white background, the project's font. */
export function toPng(fig: Figure, scale = 2): Uint8Array {
  if (scale === 2 && rendered.has(fig)) return rendered.get(fig)!;
  const png = renderPng(fig, scale);
  if (scale === 2) rendered.set(fig, png);
  return png;
}

function renderPng(fig: Figure, scale: number): Uint8Array {
  const font = Deno.env.get("GRAVES_FONT") ?? DEFAULT_FONT;
  if (!exists(font)) {
    throw new Error(
      `font ${font} not found: install Debian's fonts-dejavu-core or set GRAVES_FONT to a .ttf file`,
    );
  }
  return new Resvg(fig.svg, {
    font: {
      fontFiles: [font, ...monoBeside(font)],
      loadSystemFonts: false,
      defaultFontFamily: STYLE.fontFamily,
    },
    background: "white",
    fitTo: { mode: "zoom", value: scale },
  }).render().asPng();
}

/** Writes `<dir>/<name>.svg` and `<dir>/<name>.png`; returns their paths as messages show them (`displayPath`). */
export function saveFigure(fig: Figure, dir: string, name: string): { svg: string; png: string } {
  Deno.mkdirSync(dir, { recursive: true });
  const svg = join(dir, `${name}.svg`), png = join(dir, `${name}.png`);
  const pngBytes = toPng(fig); // rendered before either file is touched
  writeFileAtomic(svg, fig.svg); // each file whole, old or new
  writeFileAtomic(png, pngBytes);
  return { svg: displayPath(svg), png: displayPath(png) };
}

/**
 * Shows a figure inline when running in Deno's Jupyter kernel (no-op
 * elsewhere), as a PNG drawn at twice its size and shown at its size: an
 * untrusted notebook, nbconvert's HTML and code-host viewers all show PNG,
 * where they hide or drop SVG. The SVG is what `saveFigure` writes.
 */
export async function show(fig: Figure): Promise<void> {
  const jup = jupyter();
  if (!jup) return;
  await jup.broadcast("display_data", {
    data: {
      "image/png": base64(toPng(fig)),
      "text/plain": `<figure ${Math.round(fig.width)}×${Math.round(fig.height)}>`,
    },
    metadata: { "image/png": { width: Math.round(fig.width) } },
    transient: {},
  });
}
