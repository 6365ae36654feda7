/**
 * IAM-OnDB prepared for the handwriting experiments (sections 4-5): the
 * paper-sized split, offsets normalised with training-set statistics, and the
 * transcriptions encoded for the synthesis window.
 * @module
 */
import { join } from "node:path";
import { md5 } from "../data/checksum.ts";
import { dataRoot } from "../util/paths.ts";
import { type HandwritingLine, type IamOnDb, loadIamOnDb } from "../data/iamondb/dataset.ts";
import { type Split, splitIam } from "../data/iamondb/splits.ts";
import { normalise, type OffsetStats, offsetStats } from "../data/iamondb/offsets.ts";
import {
  type Charset,
  encodeText,
  losslessCharset,
  PAPER_CHARSET,
  PEOPLE_CHARSET,
} from "../data/iamondb/charset.ts";
import type { TrainingLine } from "../data/lines.ts";

/** Lines ready for training, with what produced them. */
export interface IamData {
  db: IamOnDb;
  split: Split;
  /** Normalisation statistics of the training split (stored with every checkpoint). */
  stats: OffsetStats;
  charset: Charset;
  train: TrainingLine[];
  valid: TrainingLine[];
  /** Characters outside the encoding that were dropped from transcriptions (counted, not silent). */
  droppedChars: number;
}

/**
 * Says, on every load, what of IAM-OnDB is left out: source files skipped
 * (and their lines) and lines of a split list missing from the corpus.
 */
export function reportSkipped(db: IamOnDb, split: Split, log: (s: string) => void = console.log): void {
  const lines = db.skipped.reduce((s, k) => s + k.lines, 0);
  if (db.skipped.length) {
    log(
      `IAM-OnDB: ${db.skipped.length} source files skipped (${lines} lines), e.g. ${db.skipped[0].file}: ` +
        `${db.skipped[0].reason} (all of them: deno task data)`,
    );
  }
  if (split.missing.length) {
    log(`IAM-OnDB: ${split.missing.length} lines of the split lists are not in the corpus`);
  }
}

/** Loads, splits, normalises and encodes IAM-OnDB, saying what was skipped. */
export async function prepareIam(
  o: { dir?: string; charset?: "paper" | "people" | "lossless" } = {},
): Promise<IamData> {
  const dir = o.dir ?? join(dataRoot(), "iamondb");
  const db = await loadIamOnDb({ dir });
  const split = splitIam(db.lines, join(dir, "splits"));
  reportSkipped(db, split);
  const stats = offsetStats(split.train);
  const charset = o.charset === "lossless"
    ? losslessCharset(split.train.map((l) => l.text))
    : o.charset === "people"
    ? PEOPLE_CHARSET
    : PAPER_CHARSET;
  let droppedChars = 0;
  const prep = (l: HandwritingLine): TrainingLine => ({
    points: normalise(l, stats),
    n: l.n,
    codes: encodeText(l.text, charset, () => {
      droppedChars++;
      return undefined;
    }),
  });
  return {
    db,
    split,
    stats,
    charset,
    train: split.train.map(prep),
    valid: split.valid.map(prep),
    droppedChars,
  };
}

/** Which validation lines a score uses: all 1,438 (the paper's set), or one fixed half of them. */
export type ValidLines = "all" | "select" | "report";

/**
 * The validation lines `which` names: the selection half (every even line
 * of the validation list) is for choosing between candidate networks, the
 * report half (every odd line) for reporting the chosen one, so that a
 * choice never scores on the lines it is reported on; `all` is the paper's
 * set. `ids` fingerprints the lines used (MD5 of their ids), for records.
 */
export function validationLines(data: IamData, which: ValidLines): { lines: TrainingLine[]; ids: string } {
  const keep = (i: number) => which === "all" || (i % 2 === 0) === (which === "select");
  const lines = data.valid.filter((_, i) => keep(i));
  const ids = md5(data.split.valid.filter((_, i) => keep(i)).map((l) => l.id).join("\n")).slice(0, 16);
  return { lines, ids };
}
