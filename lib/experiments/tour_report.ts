/**
 * Notebook 00's table: the three corpora as found on this machine, a prefix
 * of enwik8 said as such.
 * @module
 */
import type { Ptb } from "../data/ptb.ts";
import type { Enwik8 } from "../data/enwik8.ts";
import type { IamOnDb } from "../data/iamondb/dataset.ts";
import type { Split } from "../data/iamondb/splits.ts";
import { PAPER_CHARSET } from "../data/iamondb/charset.ts";

/** One row per corpus: symbols, size and unit, and a note (the enwik8 prefix, the IAM split). */
export function datasetsTable(ptb: Ptb, wiki: Enwik8, iam: IamOnDb, split: Split) {
  return [
    {
      dataset: "PTB",
      symbols: ptb.vocab.size,
      size: ptb.train.length + ptb.valid.length + ptb.test.length,
      unit: "characters",
      note: "Mikolov's LM version",
    },
    {
      dataset: "enwik8",
      symbols: wiki.size,
      size: wiki.dataBytes,
      unit: "bytes",
      note: wiki.isPrefix ? "PREFIX of enwik8" : "full",
    },
    {
      dataset: "IAM-OnDB",
      symbols: PAPER_CHARSET.size,
      size: iam.lines.length,
      unit: "lines",
      note: `train ${split.train.length} / valid ${split.valid.length}`,
    },
  ];
}
