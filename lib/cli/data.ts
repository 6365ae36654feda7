/**
 * `deno task data [--download] [--rebuild]`: finds each dataset under
 * `GRAVES_DATA`, verifies it, prints a summary table, and with `--download`
 * fetches PTB and enwik8 from their public sources. IAM-OnDB needs
 * registration: the task says what to download and where to put it.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { join } from "node:path";
import { dataRoot, exists } from "../util/paths.ts";
import { md5File } from "../data/checksum.ts";
import { fetchVerified, unzipFirst, writeAtomic } from "../data/download.ts";
import { loadPtb, PTB_FILES, PTB_URL } from "../data/ptb.ts";
import { ENWIK8_FULL, ENWIK8_URL, loadEnwik8 } from "../data/enwik8.ts";
import { IAM_ARCHIVES, loadIamOnDb } from "../data/iamondb/dataset.ts";
import { hasSplitLists, splitFromEnv, splitIam } from "../data/iamondb/splits.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

const { values } = parseArgs({
  args: Deno.args,
  options: { download: { type: "boolean", default: false }, rebuild: { type: "boolean", default: false } },
});
const root = dataRoot();
console.log(`datasets in ${root} (GRAVES_DATA)`);
const rows: string[][] = [["dataset", "files", "lines", "symbols", "size", "checks / notes"]];
let problems = 0;
const fail = (name: string, e: unknown) => {
  problems++;
  rows.push([name, "-", "-", "-", "-", `NOT AVAILABLE: ${(e as Error).message}`]);
};
const n = (x: number) => x.toLocaleString("en");

// Penn Treebank
try {
  const dir = join(root, "ptb");
  if (values.download) {
    for (const f of Object.values(PTB_FILES)) {
      if (!exists(join(dir, f.name))) {
        writeAtomic(join(dir, f.name), await fetchVerified(PTB_URL + f.name, f.md5));
      }
    }
  }
  const p = loadPtb(dir);
  const checks: string[] = [];
  for (const f of Object.values(PTB_FILES)) {
    const sum = await md5File(join(dir, f.name));
    checks.push(`${f.name} ${sum === f.md5 ? "md5 ok" : `MD5 MISMATCH ${sum}`}`);
    if (sum !== f.md5) problems++;
  }
  const lines = [p.train, p.valid, p.test].map((c) => c.filter((x) => p.vocab.symbols[x] === "\n").length);
  rows.push([
    "PTB (char level)",
    "3",
    lines.map(n).join(" / "),
    String(p.vocab.size),
    `${[p.train, p.valid, p.test].map((c) => n(c.length)).join(" / ")} chars`,
    checks.join("; "),
  ]);
} catch (e) {
  fail("PTB", e);
}

// enwik8
try {
  const dir = join(root, "enwik8");
  if (values.download && !exists(join(dir, "enwik8"))) {
    const { data } = await unzipFirst(await fetchVerified(ENWIK8_URL));
    writeAtomic(join(dir, "enwik8"), data);
  }
  const e = loadEnwik8();
  let check = "";
  if (!e.isPrefix) {
    const sum = await md5File(e.path);
    check = sum === ENWIK8_FULL.md5 ? "md5 ok; " : `MD5 MISMATCH ${sum}; `;
  }
  rows.push(["enwik8", "1", "-", String(e.size), `${n(e.dataBytes)} bytes`, check + e.caveat]);
} catch (e) {
  fail("enwik8", e);
}

// IAM-OnDB
try {
  const dir = join(root, "iamondb");
  const cold = await loadIamOnDb({ dir, rebuild: values.rebuild });
  // summarised even without the task's lists, which training needs (or GRAVES_IAM_SPLIT=random): said below
  const lists = hasSplitLists(join(dir, "splits"));
  const split = splitIam(cold.lines, join(dir, "splits"), 1, lists ? splitFromEnv() : "random");
  const points = cold.lines.reduce((s, l) => s + l.n, 0);
  const strokes = cold.lines.reduce((s, l) => {
    for (let i = 0; i < l.n; i++) s += l.points[3 * i + 2];
    return s;
  }, 0);
  const skippedLines = cold.skipped.reduce((s, k) => s + k.lines, 0);
  rows.push([
    "IAM-OnDB",
    cold.source.endsWith("(archives)") ? IAM_ARCHIVES.join(" + ") : "extracted folders",
    `${n(cold.lines.length)} paired (train ${n(split.train.length)} / valid ${n(split.valid.length)})`,
    "-",
    `${n(points)} points, ${n(strokes)} strokes`,
    `${cold.fromCache ? "cache" : "parsed"} in ${cold.seconds.toFixed(1)} s; ` +
    `${skippedLines} lines skipped; ${cold.jumpSplits} strokes split at pen-down jumps; ` +
    `${split.missing.length} split entries not in corpus; split: ${split.how}` +
    (lists
      ? ""
      : " (NO split lists in splits/: training refuses without them unless GRAVES_IAM_SPLIT=random)"),
  ]);
  for (const s of cold.skipped) console.log(`  IAM-OnDB skipped ${s.lines} lines: ${s.file}: ${s.reason}`);
  for (const m of split.missing) {
    console.log(`  IAM-OnDB split entry not in corpus: ${m.list}:${m.line}: ${m.id}`);
  }
} catch (e) {
  fail("IAM-OnDB", e);
  console.log(
    `  IAM-OnDB cannot be downloaded automatically (registration required): register at\n` +
      `  https://fki.tic.heia-fr.ch/databases/iam-on-line-handwriting-database, download\n` +
      `  ${IAM_ARCHIVES.join(" and ")}, and put both in ${join(root, "iamondb")}/`,
  );
}

const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
console.log();
for (const r of rows) console.log(r.map((v, j) => (j === r.length - 1 ? v : v.padEnd(widths[j]))).join("  "));
if (problems) {
  console.log(
    `\n${problems} problem(s); datasets not available are needed only by the notebooks that use them.`,
  );
  Deno.exit(1);
}
