/**
 * Can people read what the writer writes with digits and punctuation? Lines
 * such as "Call 020 7946 0815 at 3:45" are written as `deno task write
 * --file` writes a file of them (one paragraph each, the later lines in the
 * first line's hand, bias on σ only, the last stroke finished, up to three
 * redraws), rendered, and read back by Tesseract (Debian's `tesseract-ocr`,
 * an independent reader); the measures are the share of the line's digits
 * read in order and of its words read. Real IAM-OnDB validation lines that
 * contain digits, read the same way, say what a human hand scores.
 * @module
 */
import type { TrainingLine } from "../data/lines.ts";
import { denormalise, type OffsetStats, offsetsToStrokes } from "../data/iamondb/offsets.ts";
import { yDown } from "../plots/pen.ts";
import { legibility, tesseractRead } from "./own_hand.ts";
import type { WritingNetwork } from "./write.ts";
import { DOCUMENT_DEFAULTS, type DocumentOptions, PAGE_SIZES, writeDocument } from "./document.ts";

/** The lines written: dates, times, prices, phone numbers, lists, as people write them. */
export const DIGIT_LINES: readonly string[] = [
  "Call 020 7946 0815 at 3:45",
  "Meet me at 10:30 on 6/12",
  "14 June, 17% or 12%",
  "Room 42 on floor 3",
  "Total 15.99 with 2 stamps",
  "Born in 1987, moved in 2004",
];

/** Length of the longest common subsequence of two strings. */
function lcs(a: string, b: string): number {
  let prev = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = [0];
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    }
    prev = row;
  }
  return prev[b.length];
}

/** The share of `target`'s digits that `read` has in the same order (1 when the target has none). */
export function digitsInOrder(read: string, target: string): number {
  const d = (s: string) => s.replace(/[^0-9]/g, "");
  const want = d(target);
  return want.length ? lcs(d(read), want) / want.length : 1;
}

/** One line read back. */
export interface LegibilityRow {
  /** The writer's name (`synthesis`, `writer`) or `iam` for a real line. */
  source: string;
  text: string;
  seed: number;
  read: string;
  /** Share of its digits read in order. */
  digits: number;
  /** Share of its words read (`legibility`). */
  words: number;
}

/**
 * Writes the lines as `deno task write --file` writes a file of them, one
 * paragraph each (`writeDocument` with `DOCUMENT_DEFAULTS`: the later lines
 * in the first line's hand, unless `chain` says otherwise) at `bias`, one document per seed, and reads each
 * line back as placed on the page.
 */
export async function writtenLegibility(
  source: string,
  w: WritingNetwork,
  o: {
    lines?: readonly string[];
    seeds: number[];
    bias: number;
    chain?: DocumentOptions["chain"];
    tesseract?: string;
  },
): Promise<LegibilityRow[]> {
  const D = DOCUMENT_DEFAULTS, lines = o.lines ?? DIGIT_LINES;
  const rows: LegibilityRow[] = [];
  for (const seed of o.seeds) {
    const doc = writeDocument(w, lines.join("\n\n"), {
      ...D,
      page: { size: PAGE_SIZES[D.page], marginMm: D.marginMm, lineHeightMm: D.lineHeightMm },
      bias: o.bias,
      seed,
      chain: o.chain ?? D.chain,
    });
    for (const line of doc.lines.filter((l) => l.text !== "")) {
      const read = await tesseractRead(line.strokes, o.tesseract);
      rows.push({
        source,
        text: line.text,
        seed,
        read,
        digits: digitsInOrder(read, line.text),
        words: legibility(read, line.text).words,
      });
    }
  }
  return rows;
}

/** Real lines with at least `minDigits` digits, read back as drawn: what a human hand scores. */
export async function realLegibility(
  lines: { text: string; line: TrainingLine }[],
  stats: OffsetStats,
  o: { minDigits?: number; max?: number; tesseract?: string } = {},
): Promise<LegibilityRow[]> {
  const picked = lines.filter((l) => l.text.replace(/[^0-9]/g, "").length >= (o.minDigits ?? 2))
    .slice(0, o.max ?? 12);
  const rows: LegibilityRow[] = [];
  for (const { text, line } of picked) {
    const strokes = yDown(offsetsToStrokes(denormalise(line.points, stats), line.n));
    const read = await tesseractRead(strokes, o.tesseract);
    rows.push({
      source: "iam",
      text,
      seed: 0,
      read,
      digits: digitsInOrder(read, text),
      words: legibility(read, text).words,
    });
  }
  return rows;
}
