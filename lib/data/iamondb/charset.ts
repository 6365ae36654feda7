/**
 * Character encodings for handwriting synthesis: text → integer classes for
 * the soft window's one-hot vectors (section 5).
 *
 * `paper`: 57 classes — the 52 letters, space, the three most frequent marks
 * in IAM-OnDB's transcriptions (`.`, `,`, `"`), and one "non-letter" class for
 * every other printable ASCII character (digits, other punctuation). The paper says only that
 * it used 57 classes with digits and most punctuation in one non-letter class;
 * the choice of the three kept marks is ours (README, Deviations).
 * `people`: the paper's 57 classes in the same order, then one class for each
 * printable ASCII mark or digit that occurs at least 30 times in the training
 * transcriptions (`' - ? ! : ; ( ) #` and 0-9: 76 classes; digits 39-260
 * times each). The rarer `+ / [ ] &` (7, 5, 2, 2, 1 times) stay in the
 * non-letter class `·`, which writers name before writing. Not in the paper:
 * the writer people use (issue #57), fine-tuned from the paper's network.
 * `lossless`: every character seen in the training transcriptions.
 * @module
 */

/** An encoding of text into classes 0..size-1. */
export interface Charset {
  /** `"paper"`, `"people"` or `"lossless"`. */
  name: string;
  /** The characters of each class; the non-letter class (if any) is shown as `·` (class 56 in `paper` and `people`). */
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

/** Marks and digits that `PEOPLE_CHARSET` adds after the paper's 57 classes (each seen ≥ 30 times in training). */
export const PEOPLE_EXTRA = "'-?!:;()#0123456789";

/** The paper's 57 classes followed by `PEOPLE_EXTRA`: what `deno task write` and the page write with. */
export const PEOPLE_CHARSET: Charset = (() => {
  const symbols = [...PAPER_CHARSET.symbols, ...PEOPLE_EXTRA];
  const other = PAPER_CHARSET.symbols.indexOf("·");
  const index = new Map(symbols.map((c, i) => [c, i]).filter(([c]) => c !== "·") as [string, number][]);
  return {
    name: "people",
    symbols,
    size: symbols.length,
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
  if (name === "people") return PEOPLE_CHARSET;
  const index = new Map(symbols.map((c, i) => [c, i]));
  return { name, symbols, size: symbols.length, classOf: (ch) => index.get(ch) };
}

/**
 * What a charset does with the characters of `text`: those it writes with its
 * one non-letter class (`·`: the same squiggle for every digit or rare mark),
 * and those it has no class for at all (each once, in order of appearance).
 */
export function charsetCoverage(text: string, charset: Charset): { marked: string[]; missing: string[] } {
  const other = charset.symbols.indexOf("·");
  const chars = [...new Set([...text].filter((ch) => ch !== "\n"))];
  return {
    marked: chars.filter((ch) => other >= 0 && charset.classOf(ch) === other),
    missing: chars.filter((ch) => charset.classOf(ch) === undefined),
  };
}

/** What `charsetCoverage` found, as one sentence for a writer to say before writing ("" when nothing). */
export function coverageNote(text: string, charset: Charset): string {
  const { marked } = charsetCoverage(text, charset);
  if (!marked.length) return "";
  const network = { paper: "the paper's network", people: "the writer" }[charset.name] ??
    `the ${charset.name} network`;
  return `${network} (${charset.size} classes) writes ${marked.join(" ")} as its one mark ` +
    `for every other symbol (·), the same squiggle for each`;
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
