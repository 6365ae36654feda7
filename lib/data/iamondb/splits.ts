/**
 * Training/validation splits of IAM-OnDB lines: from list files (one
 * lineStrokes path per line, as in `iamondb/splits/`) or a seeded random split.
 * @module
 */
import { join } from "node:path";
import { DataError } from "../errors.ts";
import { displayPath, exists } from "../../util/paths.ts";
import type { HandwritingLine } from "./dataset.ts";
import { strokeFileId } from "./transcriptions.ts";

/** A split, and the listed lines it could not include. */
export interface Split {
  train: HandwritingLine[];
  valid: HandwritingLine[];
  /** Listed ids with no line in the corpus (e.g. in an unpairable form), per list. */
  missing: { list: string; id: string; line: number }[];
  /** How the split was made. */
  how: string;
}

/** The paper's validation-set size. */
export const PAPER_VALID_LINES = 1438;

/** Lines of IAM-OnDB that pair with a transcription (the paper's validation share is 1,438 of them). */
export const PAIRED_LINES = 12_178;

/** Reads a split list; every non-blank line must name a lineStrokes file. */
export function readSplitList(path: string): { id: string; line: number }[] {
  const text = Deno.readTextFileSync(path);
  const out: { id: string; line: number }[] = [];
  text.split("\n").forEach((raw, i) => {
    const l = raw.trim();
    if (!l) return;
    const id = strokeFileId(l);
    if (!id) throw new DataError(path, `not a lineStrokes file path: ${JSON.stringify(l)}`, i + 1);
    out.push({ id: id.id, line: i + 1 });
  });
  return out;
}

/** Splits by the lists `training_set.txt` and `validation_set.txt` in `dir`. */
export function splitFromLists(lines: HandwritingLine[], dir: string): Split {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const missing: Split["missing"] = [];
  const take = (name: string) => {
    const path = join(dir, name);
    const out: HandwritingLine[] = [];
    for (const { id, line } of readSplitList(path)) {
      const l = byId.get(id);
      if (l) out.push(l);
      else missing.push({ list: path, id, line });
    }
    return out;
  };
  const train = take("training_set.txt"), valid = take("validation_set.txt");
  const seen = new Set(train.map((l) => l.id));
  const overlap = valid.filter((l) => seen.has(l.id));
  if (overlap.length) {
    throw new DataError(
      join(dir, "validation_set.txt"),
      `${overlap.length} lines also in training_set.txt, e.g. ${overlap[0].id}`,
    );
  }
  return { train, valid, missing, how: `lists in ${displayPath(dir)}` };
}

/** A seeded random split; by default the paper's share of lines (1,438 of 12,178) for validation. */
export function randomSplit(
  lines: HandwritingLine[],
  seed: number,
  validLines = Math.round((lines.length * PAPER_VALID_LINES) / PAIRED_LINES),
): Split {
  const order = lines.map((_, i) => i);
  let s = seed >>> 0;
  for (let i = order.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const valid = new Set(order.slice(0, validLines));
  return {
    train: lines.filter((_, i) => !valid.has(i)),
    valid: lines.filter((_, i) => valid.has(i)),
    missing: [],
    how: `random, seed ${seed}, ${validLines} validation lines`,
  };
}

/** How to split IAM-OnDB: the task's lists (the paper's split) or, only when asked, a seeded random one. */
export type SplitHow = "lists" | "random";

/**
 * The split `GRAVES_IAM_SPLIT` asks for: `lists` (default) or `random`; any
 * other value is an error naming the variable.
 */
export function splitFromEnv(): SplitHow {
  const v = Deno.env.get("GRAVES_IAM_SPLIT") ?? "lists";
  if (v !== "lists" && v !== "random") throw new Error(`GRAVES_IAM_SPLIT=${v}: expected lists or random`);
  return v;
}

/** The task's two list files in `dir`. */
const LIST_FILES = ["training_set.txt", "validation_set.txt"];

/** Whether `dir` holds both of IAM-OnDB's task lists. */
export const hasSplitLists = (dir: string): boolean => LIST_FILES.every((f) => exists(join(dir, f)));

/**
 * The lists in `dir` (`how: "lists"`, the default): a missing list is an
 * error naming it; a seeded random split only when asked (`how: "random"`,
 * or `GRAVES_IAM_SPLIT=random`), and its `how` says so in every record.
 */
export function splitIam(
  lines: HandwritingLine[],
  dir: string,
  seed = 1,
  how: SplitHow = splitFromEnv(),
): Split {
  if (how === "random") return randomSplit(lines, seed);
  for (const f of LIST_FILES) {
    if (!exists(join(dir, f))) {
      throw new DataError(
        join(dir, f),
        "missing: put IAM-OnDB's task lists there (data/README.md), or ask for a seeded random split with GRAVES_IAM_SPLIT=random",
      );
    }
  }
  return splitFromLists(lines, dir);
}
