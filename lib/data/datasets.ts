/**
 * The datasets `deno task data` finds, verifies and summarises, each as one
 * entry (`DATASETS`): where it lives under `GRAVES_DATA`, how it is fetched
 * where it can be (`download`), and the row it adds to the summary table.
 * A new corpus adds its entry here; the command names none.
 * @module
 */
import { join } from "node:path";
import { exists } from "../util/paths.ts";
import { md5File } from "./checksum.ts";
import { fetchVerified, unzipFirst, writeAtomic } from "./download.ts";
import { loadPtb, PTB_FILES, PTB_URL } from "./ptb.ts";
import { ENWIK8_FULL, ENWIK8_URL, loadEnwik8 } from "./enwik8.ts";
import { IAM_ARCHIVES, loadIamOnDb } from "./iamondb/dataset.ts";
import { hasSplitLists, splitFromEnv, splitIam } from "./iamondb/splits.ts";

/** One dataset's line of the summary: its files, lines, symbols, size, and checks or notes. */
export interface DatasetRow {
  files: string;
  lines: string;
  symbols: string;
  size: string;
  notes: string;
  /** Checks that failed (an MD5 mismatch). */
  problems: number;
  /** Lines printed under the table (skipped items, each with its file and reason). */
  details?: string[];
}

/** A dataset as `deno task data` sees it. */
export interface Dataset {
  name: string;
  /** Verifies the copy under `root` (fetching it first with `download` where it can) and summarises it; throws when absent. */
  check(root: string, o: { download: boolean; rebuild: boolean }): Promise<DatasetRow>;
  /** What to do when it is absent and cannot be fetched (registration), printed under the table. */
  howToGet?: (root: string) => string;
}

const n = (x: number) => x.toLocaleString("en");

/** Penn Treebank (Mikolov's character-level files): fetched and MD5-checked. */
const PTB_DATASET: Dataset = {
  name: "PTB (char level)",
  async check(root, o) {
    const dir = join(root, "ptb");
    if (o.download) {
      for (const f of Object.values(PTB_FILES)) {
        if (!exists(join(dir, f.name))) {
          writeAtomic(join(dir, f.name), await fetchVerified(PTB_URL + f.name, f.md5));
        }
      }
    }
    const p = loadPtb(dir);
    const checks: string[] = [];
    let problems = 0;
    for (const f of Object.values(PTB_FILES)) {
      const sum = await md5File(join(dir, f.name));
      checks.push(`${f.name} ${sum === f.md5 ? "md5 ok" : `MD5 MISMATCH ${sum}`}`);
      if (sum !== f.md5) problems++;
    }
    const lines = [p.train, p.valid, p.test].map((c) => c.filter((x) => p.vocab.symbols[x] === "\n").length);
    return {
      files: "3",
      lines: lines.map(n).join(" / "),
      symbols: String(p.vocab.size),
      size: `${[p.train, p.valid, p.test].map((c) => n(c.length)).join(" / ")} chars`,
      notes: checks.join("; "),
      problems,
    };
  },
};

/** enwik8 (Hutter prize): fetched; a prefix is said. */
const ENWIK8_DATASET: Dataset = {
  name: "enwik8",
  async check(root, o) {
    const dir = join(root, "enwik8");
    if (o.download && !exists(join(dir, "enwik8"))) {
      const { data } = await unzipFirst(await fetchVerified(ENWIK8_URL));
      writeAtomic(join(dir, "enwik8"), data);
    }
    const e = loadEnwik8();
    let check = "", problems = 0;
    if (!e.isPrefix) {
      const sum = await md5File(e.path);
      check = sum === ENWIK8_FULL.md5 ? "md5 ok; " : `MD5 MISMATCH ${sum}; `;
      if (sum !== ENWIK8_FULL.md5) problems++;
    }
    return {
      files: "1",
      lines: "-",
      symbols: String(e.size),
      size: `${n(e.dataBytes)} bytes`,
      notes: check + e.caveat,
      problems,
    };
  },
};

/** IAM-OnDB: registration required; parsed, skipped lines counted, the split's lists checked. */
const IAM_DATASET: Dataset = {
  name: "IAM-OnDB",
  async check(root, o) {
    const dir = join(root, "iamondb");
    const cold = await loadIamOnDb({ dir, rebuild: o.rebuild });
    // summarised even without the task's lists, which training needs (or GRAVES_IAM_SPLIT=random): said below
    const lists = hasSplitLists(join(dir, "splits"));
    const split = splitIam(cold.lines, join(dir, "splits"), 1, lists ? splitFromEnv() : "random");
    const points = cold.lines.reduce((s, l) => s + l.n, 0);
    const strokes = cold.lines.reduce((s, l) => {
      for (let i = 0; i < l.n; i++) s += l.points[3 * i + 2];
      return s;
    }, 0);
    const skippedLines = cold.skipped.reduce((s, k) => s + k.lines, 0);
    return {
      files: cold.source.endsWith("(archives)") ? IAM_ARCHIVES.join(" + ") : "extracted folders",
      lines: `${n(cold.lines.length)} paired (train ${n(split.train.length)} / valid ${
        n(split.valid.length)
      })`,
      symbols: "-",
      size: `${n(points)} points, ${n(strokes)} strokes`,
      notes: `${cold.fromCache ? "cache" : "parsed"} in ${cold.seconds.toFixed(1)} s; ` +
        `${skippedLines} lines skipped; ${cold.jumpSplits} strokes split at pen-down jumps; ` +
        `${split.missing.length} split entries not in corpus; split: ${split.how}` +
        (lists
          ? ""
          : " (NO split lists in splits/: training refuses without them unless GRAVES_IAM_SPLIT=random)"),
      problems: 0,
      details: [
        ...cold.skipped.map((s) => `IAM-OnDB skipped ${s.lines} lines: ${s.file}: ${s.reason}`),
        ...split.missing.map((m) => `IAM-OnDB split entry not in corpus: ${m.list}:${m.line}: ${m.id}`),
      ],
    };
  },
  howToGet: (root) =>
    `IAM-OnDB cannot be downloaded automatically (registration required): register at\n` +
    `  https://fki.tic.heia-fr.ch/databases/iam-on-line-handwriting-database, download\n` +
    `  ${IAM_ARCHIVES.join(" and ")}, and put both in ${join(root, "iamondb")}/`,
};

/** Every dataset, in the order the summary lists them. */
export const DATASETS: readonly Dataset[] = [PTB_DATASET, ENWIK8_DATASET, IAM_DATASET];
