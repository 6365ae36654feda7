/**
 * Penn Treebank at word level (section 3.1, Table 1's word rows): Mikolov's
 * files as they are — 10,000 word types with `<unk>` — each sentence ended by
 * an `<eos>` token, as the word-level language-modelling literature reads them
 * (the character level's ` \n`). The vocabulary is the training text's, sorted.
 * @module
 */
import { join } from "node:path";
import { DataError } from "./errors.ts";
import { encodeAs, locatePtb, PTB_FILES, type PtbSplit, type Vocabulary, vocabulary } from "./ptb.ts";

/** The sentence-end token. */
export const EOS = "<eos>";

/** PTB's word counts as published (Mikolov 2012): a copy that differs is refused. */
export const PTB_WORD_COUNTS = { vocab: 10_000, train: 929_589, valid: 73_760, test: 82_430 } as const;

/** PTB as word codes. */
export interface PtbWords {
  vocab: Vocabulary;
  train: Uint16Array;
  valid: Uint16Array;
  test: Uint16Array;
  dir: string;
}

/** The word tokens of one file: its words, each line ending in `<eos>`; an empty line is an error. */
export function ptbWordTokens(text: string, file = "ptb"): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((line, i) => {
    const words = line.trim().split(" ").filter((w) => w !== "");
    if (words.length === 0) throw new DataError(file, "empty sentence", i + 1);
    if (words.includes(EOS)) {
      throw new DataError(file, `the word ${EOS} is reserved for sentence ends`, i + 1);
    }
    out.push(...words, EOS);
  });
  return out;
}

/** Word tokens → codes (at most 65,536 types); a word outside the vocabulary is an error naming it. */
export function encodeWords(tokens: string[], vocab: Vocabulary, file = "text"): Uint16Array {
  return encodeAs(Uint16Array, tokens, vocab, file, "word");
}

/** Codes → text, sentence ends as new lines. */
export function decodeWords(codes: ArrayLike<number>, vocab: Vocabulary): string {
  const words: string[] = [];
  for (let i = 0; i < codes.length; i++) words.push(vocab.symbols[codes[i]]);
  return words.join(" ").replaceAll(` ${EOS} `, "\n").replaceAll(` ${EOS}`, "\n").replaceAll(`${EOS} `, "\n");
}

/** Loads and encodes the three splits at word level, checking the published counts. */
export function loadPtbWords(dir?: string): PtbWords {
  const d = locatePtb(dir);
  const read = (s: PtbSplit) => {
    const path = join(d, PTB_FILES[s].name);
    return { path, tokens: ptbWordTokens(Deno.readTextFileSync(path), path) };
  };
  const train = read("train"), valid = read("valid"), test = read("test");
  const vocab = vocabulary(train.tokens);
  const counts = {
    vocab: vocab.size,
    train: train.tokens.length,
    valid: valid.tokens.length,
    test: test.tokens.length,
  };
  for (const [k, v] of Object.entries(counts)) {
    const want = PTB_WORD_COUNTS[k as keyof typeof counts];
    if (v !== want) {
      throw new DataError(
        k === "vocab" ? train.path : read(k as PtbSplit).path,
        `${v} ${
          k === "vocab" ? "word types" : "words"
        }, Mikolov's PTB has ${want}: another copy (check it with deno task data)`,
      );
    }
  }
  return {
    vocab,
    train: encodeWords(train.tokens, vocab, train.path),
    valid: encodeWords(valid.tokens, vocab, valid.path),
    test: encodeWords(test.tokens, vocab, test.path),
    dir: d,
  };
}
