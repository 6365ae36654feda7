/**
 * Whole documents in one hand (letters, notes, cards): the text checked
 * against the network's characters, paragraphs wrapped to a width, every line
 * written by the synthesis network in one style — primed with a style file,
 * or with the first line's own strokes (section 5.5's priming) — and laid out
 * on pages. `deno task write --file` and the document figure
 * call it; the pages go out as SVG or G-code (`lib/plots/pen.ts`, `gcode.ts`).
 * @module
 */
import type { Charset } from "../data/iamondb/charset.ts";
import type { Stroke } from "../data/iamondb/strokes.ts";
import { IAM_LINE_HEIGHT, primeFromStyle, type StyleFile } from "../data/iamondb/style.ts";
import { scaleStrokes, shiftStrokes } from "../plots/pen.ts";
import { wrapText } from "../util/text.ts";
import { disposeWriter, write, type WritingNetwork, type Written } from "./write.ts";
import { type AdaptOptions, adaptToHand, slant, slantToward } from "./adapt.ts";

/** Typographic replacements for characters outside the network's set (`--unknown replace`). */
export const REPLACEMENTS: Record<string, string> = {
  "‘": "'",
  "’": "'",
  "‚": "'",
  "“": '"',
  "”": '"',
  "„": '"',
  "–": "-",
  "—": "-",
  "−": "-",
  "…": "...",
  "\u00a0": " ",
  "\t": " ",
  "é": "e",
  "è": "e",
  "ê": "e",
  "à": "a",
  "â": "a",
  "ä": "a",
  "ö": "o",
  "ü": "u",
  "ç": "c",
  "ï": "i",
  "ß": "ss",
};

/** What to do with characters the network cannot write. */
export type UnknownPolicy = "refuse" | "replace" | "drop";

/** `text` made writable: the characters outside `charset` refused (listed), replaced, or dropped; counts of each. */
export function prepareText(text: string, charset: Charset, policy: UnknownPolicy) {
  const unknown = new Map<string, number>();
  for (const ch of text) {
    if (ch !== "\n" && charset.classOf(ch) === undefined) unknown.set(ch, (unknown.get(ch) ?? 0) + 1);
  }
  const list = [...unknown].map(([ch, n]) => `“${ch}” ×${n}`).join(", ");
  if (unknown.size && policy === "refuse") {
    throw new Error(`characters the network cannot write: ${list} (--unknown replace or drop)`);
  }
  let out = "";
  const dropped = new Map<string, number>();
  for (const ch of text) {
    if (ch === "\n" || charset.classOf(ch) !== undefined) out += ch;
    else if (policy === "replace" && REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else dropped.set(ch, (dropped.get(ch) ?? 0) + 1);
  }
  return { text: out, unknown, dropped, list };
}

/** Paragraphs (blank-line separated) wrapped to `width` characters; "" stands for a blank line kept. */
export function layoutLines(text: string, width: number): string[] {
  const out: string[] = [];
  const paragraphs = text.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/);
  paragraphs.forEach((p, i) => {
    if (i > 0) out.push("");
    const body = p.trim();
    if (body) out.push(...wrapText(body.replace(/\s*\n\s*/g, " "), width));
  });
  while (out.at(-1) === "") out.pop();
  return out;
}

/** Page sizes in mm. */
export const PAGE_SIZES: Record<string, [number, number]> = { a4: [210, 297], letter: [215.9, 279.4] };

/** A page's geometry in mm. */
export interface PageGeometry {
  size: [number, number];
  marginMm: number;
  /** Distance between baselines. */
  lineHeightMm: number;
}

/** Lines that fit on one page. */
export const linesPerPage = (g: PageGeometry) =>
  Math.max(1, Math.floor((g.size[1] - 2 * g.marginMm) / g.lineHeightMm));

/** How a document's lines take their hand without a style (`DocumentOptions.chain`). */
export const CHAINS = ["first", "previous", "none"] as const;
export type Chain = (typeof CHAINS)[number];

/** `deno task write --file`'s defaults: the document people get when they set nothing. */
export const DOCUMENT_DEFAULTS = {
  width: 60,
  page: "a4",
  marginMm: 20,
  lineHeightMm: 10,
  bias: 0.75,
  seed: 1,
  chain: "first" as Chain,
  finishStroke: 150,
  redraws: 3,
} as const;

/** How a document is written. */
export interface DocumentOptions {
  width: number;
  page: PageGeometry;
  bias: number;
  seed: number;
  /** One style for every line (a style file); without it, `chain` decides. */
  style?: StyleFile;
  /**
   * With a style: how it sets the hand. "adapt" (default) writes with a copy
   * of the network adapted to the style's strokes (`adaptToHand`), its lines
   * chained as `chain` says, each sheared to within `SLANT_TOLERANCE` of the style's slant; "prime" feeds
   * the style's strokes before every line (section 5.5; right for IAM-OnDB
   * lines, scrawl for most drawings: `docs/journal/2026-12-07-own-hand-adapt.md`).
   */
  hand?: "adapt" | "prime";
  /** How far "adapt" adapts. */
  adapt?: AdaptOptions;
  /**
   * Without a style: "first" primes every line with the first line's own
   * strokes (one hand, no drift), "previous" with the line before (the hand
   * drifts: errors compound, strokes shrink; results/write), "none" writes
   * each line unprimed (a new writer every line). @default "first"
   */
  chain?: Chain;
  finishStroke: number;
  redraws: number;
  maxStepsPerChar?: number;
  /** Called after each written line (for progress). */
  onLine?: (done: number, total: number, seconds: number) => void;
}

/** A written document: pages of strokes in mm (page coordinates, y down), and per line how it went. */
export interface WrittenDocument {
  pages: Stroke[][];
  lines: {
    text: string;
    page: number;
    /** The line's own strokes as placed on its page (none for a blank line). */
    strokes: Stroke[];
    primedWith: string;
    steps: number;
    finished: boolean;
    redrawn: number;
    shrunk: number;
    seconds: number;
  }[];
}

/**
 * Writes `text` (already prepared) line by line in one hand and lays it out:
 * each line's ink starts at the left margin on its baseline; a line whose ink
 * is wider than the text area is shrunk to fit (`shrunk` says by how much).
 */
export function writeDocument(w: WritingNetwork, text: string, o: DocumentOptions): WrittenDocument {
  const adapting = o.style !== undefined && (o.hand ?? "adapt") === "adapt";
  const net = adapting ? adaptToHand(w, primeFromStyle(o.style!, w.stats), o.adapt).net : w;
  try {
    return writeLines(
      net,
      text,
      { ...o, style: adapting ? undefined : o.style },
      adapting ? slant(o.style!.strokes) : undefined,
    );
  } finally {
    if (net !== w) disposeWriter(net);
  }
}

/** `writeDocument`'s lines, each sheared to `slantTo` (radians, y down) when given. */
function writeLines(w: WritingNetwork, text: string, o: DocumentOptions, slantTo?: number): WrittenDocument {
  const lines = layoutLines(text, o.width), perPage = linesPerPage(o.page);
  const mmPerUnit = o.page.lineHeightMm / (1.3 * IAM_LINE_HEIGHT); // baselines 1.3 IAM line heights apart
  const areaMm = o.page.size[0] - 2 * o.page.marginMm;
  const style = o.style ? primeFromStyle(o.style, w.stats) : undefined;
  const doc: WrittenDocument = { pages: [], lines: [] };
  let previous: { points: Float32Array; n: number; text: string } | undefined, first: typeof previous;
  const chain = o.chain ?? "first";
  lines.forEach((line, i) => {
    const page = Math.floor(i / perPage), row = i % perPage;
    doc.pages[page] ??= [];
    if (line === "") {
      doc.lines.push({
        text: "",
        page,
        strokes: [],
        primedWith: "",
        steps: 0,
        finished: true,
        redrawn: 0,
        shrunk: 1,
        seconds: 0,
      });
      return;
    }
    const prime = style ?? (chain === "first" ? first : chain === "previous" ? previous : undefined);
    const r: Written = write(w, line, {
      bias: o.bias,
      seed: o.seed + i,
      prime,
      finishStroke: o.finishStroke,
      biasWeights: false,
      redraws: o.redraws,
      maxSteps: (o.maxStepsPerChar ?? 40) * line.length,
    });
    // the next line in this hand: these very strokes, with the null first point of every line (section 4.1)
    const points = new Float32Array(r.points.length + 3);
    points.set(r.points, 3);
    previous = { points, n: r.steps + 1, text: line };
    first ??= previous;
    const upright = r.strokes.map((s) => ({ x: s.x, y: s.y.map((y) => -y) })); // y down
    const ink = scaleStrokes(
      slantTo === undefined ? upright : slantToward(upright, slantTo),
      mmPerUnit,
    );
    const xs = ink.flatMap((s) => s.x), x0 = Math.min(...xs), wide = Math.max(...xs) - x0;
    const shrunk = wide > areaMm ? areaMm / wide : 1;
    const placed = shiftStrokes(
      scaleStrokes(shiftStrokes(ink, -x0, 0), shrunk),
      o.page.marginMm,
      o.page.marginMm + (row + 0.8) * o.page.lineHeightMm,
    );
    doc.pages[page].push(...placed);
    doc.lines.push({
      text: line,
      page,
      strokes: placed,
      primedWith: prime?.text ?? "",
      steps: r.steps,
      finished: r.finished,
      redrawn: r.redrawn,
      shrunk,
      seconds: r.seconds,
    });
    o.onLine?.(i + 1, lines.length, r.seconds);
  });
  return doc;
}
