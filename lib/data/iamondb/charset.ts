/**
 * Character encodings for handwriting synthesis: text → integer classes for
 * the soft window's one-hot vectors (section 5).
 *
 * `paper`: 57 classes — the 52 letters, space, the three most frequent marks
 * in IAM-OnDB's transcriptions (`.`, `,`, `"`), and one "non-letter" class for
 * every other printable ASCII character (digits, other punctuation). The paper says only that
 * it used 57 classes with digits and most punctuation in one non-letter class;
 * the choice of the three kept marks is ours (README, Deviations).
 * `lossless`: every character seen in the training transcriptions.
 * @module
 */

/** An encoding of text into classes 0..size-1. */
export interface Charset {
  /** `"paper"` or `"lossless"`. */
  name: string;
  /** The characters of each class; the non-letter class (if any) is last and shown as `·`. */
  symbols: string[];
  /** Number of classes (the window's one-hot size). */
  size: number;
  /** Class of each character; `undefined` for characters outside the encoding. */
  classOf(ch: string): number | undefined;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const KEPT = ' .,"';

/** The paper's 57 classes. */
export const PAPER_CHARSET: Charset = (() => {
  const symbols = [...LETTERS, ...KEPT, "·"];
  const index = new Map(symbols.slice(0, -1).map((c, i) => [c, i]));
  const other = symbols.length - 1;
  return {
    name: "paper",
    symbols,
    size: symbols.length,
    // Printable ASCII outside the kept symbols is "non-letter"; anything else (tabs, é, ...) is outside.
    classOf: (ch: string) => index.get(ch) ?? (/^[\x20-\x7e]$/.test(ch) ? other : undefined),
  };
})();

/** Every character of `texts` gets its own class (sorted by code point). */
export function losslessCharset(texts: Iterable<string>): Charset {
  const seen = new Set<string>();
  for (const t of texts) for (const ch of t) seen.add(ch);
  const symbols = [...seen].sort();
  const index = new Map(symbols.map((c, i) => [c, i]));
  return { name: "lossless", symbols, size: symbols.length, classOf: (ch) => index.get(ch) };
}

/** Rebuilds a charset from its saved `symbols` (checkpoints store them). */
export function charsetFromSymbols(name: string, symbols: string[]): Charset {
  if (name === "paper") return PAPER_CHARSET;
  const index = new Map(symbols.map((c, i) => [c, i]));
  return { name, symbols, size: symbols.length, classOf: (ch) => index.get(ch) };
}

/**
 * Encodes `text`; characters outside the encoding throw, naming them, unless
 * `onUnknown` maps them to a class (or to `undefined` to drop them — counted
 * by the caller through the callback).
 */
export function encodeText(
  text: string,
  charset: Charset,
  onUnknown?: (ch: string) => number | undefined,
): Int32Array {
  const out: number[] = [];
  const unknown = new Set<string>();
  for (const ch of text) {
    let c = charset.classOf(ch);
    if (c === undefined && onUnknown) c = onUnknown(ch);
    else if (c === undefined) unknown.add(ch);
    if (c !== undefined) out.push(c);
  }
  if (unknown.size) {
    throw new Error(
      `text ${JSON.stringify(text)} has characters outside the ${charset.name} encoding: ${
        [...unknown].map((c) => JSON.stringify(c)).join(" ")
      } (its ${charset.size} classes: ${charset.symbols.join("")})`,
    );
  }
  return Int32Array.from(out);
}
