/**
 * `results/README.md`, generated: every file under `results/` (checkpoints by
 * folder), what it shows, and the command that regenerates it — read from the
 * file's own record where it has one, else from the notebook or command that
 * writes that kind of file.
 * @module
 */
import { join, relative } from "node:path";
import { exists, PROJECT_ROOT } from "../util/paths.ts";

/** What a file is, by its name within its folder: `[pattern, words]`, `$1` the pattern's first group. */
export type FileKind = readonly [RegExp, string];

/** The kinds of file every experiment's folder may hold (an experiment declares its own besides, `files`). */
const KINDS: FileKind[] = [
  [/^metrics\.json$/, "the headline numbers, the network's whole training history and the run record"],
  [
    /^eval_full\.json$/,
    "the shipped checkpoint on the whole held-out set (test for PTB, validation otherwise)",
  ],
  [/^eval_full_rms\.json$/, "the same, dynamic evaluation by Krause et al.'s RMS rule (not the paper's)"],
  [/^eval_valid\.json$/, "the shipped checkpoint on the whole validation set, where candidates are chosen"],
  [/^eval_valid_rms\.json$/, "the same by the RMS rule"],
  [/^eval_select\.json$/, "the selection half of the validation lines, where candidates are chosen"],
  [
    /^eval_report\.json$/,
    "the report half of the validation lines: held out only for networks chosen on the other half",
  ],
  [/^table(\d)\.csv$/, "the paper's Table $1 beside ours"],
  [/^claims\.csv$/, "section 3.2's claims as numbers: generated text (temperature 1) beside real"],
  [/^fig(\d+)_.*\.(svg|png)$/, "Fig $1 of the paper, drawn from the shipped network"],
  [
    /^fig_real_vs_generated\.(svg|png)$/,
    "a long generated sample's first page beside real text (section 3.2)",
  ],
  [/^learning_curves\.(svg|png)$/, "learning curves, the paper's score for scale, ours marked"],
  [/^endings\.csv$/, "how sampled lines end: mid-stroke under the paper's stopping rule and under ours"],
  [/^sample\.(txt|html)$/, "a generated sample"],
  [/^surprise\.html$/, "validation text shaded by the bits the network needed"],
  [/^markup_balance\.csv$/, "brackets, links and tags opened and closed: sample beside real text"],
  [/^datasets\.csv$/, "the three corpora as found"],
  [/^iam_line\.(svg|png)$/, "one IAM-OnDB validation line"],
  [/^bench\.csv$/, "training throughput of the paper's workloads, project and PyTorch peer"],
  [/^bench\.record\.json$/, "the record of bench.csv: command, commit, machine"],
  [/^bench_micro\.csv$/, "matMul GFLOP/s and per-op overhead per backend"],
  [
    /^bench_own_hand\.csv$/,
    "drawn hands (Hershey faces, IAM lines), priming against adapting: Tesseract's words read against unprimed, slant",
  ],
  [/^bench_own_hand\.record\.json$/, "the record of bench_own_hand.csv: command, commit, machine"],
  [
    /^bench_digits\.csv$/,
    "lines with digits as write --file writes them, read back by Tesseract: paper network, writer, real lines",
  ],
  [/^bench_digits\.record\.json$/, "the record of bench_digits.csv: command, commit, machine"],
  [/^hello_world\.(svg|png)$/, "handwriting written from the command line (write/) or in the browser (web/)"],
  [
    /^letter-\d\.(svg|png)$/,
    "a two-page letter in one hand (every line primed by the first), plotter SVG in mm",
  ],
  [/^letter-\d\.gcode$/, "the same letter as G-code for a pen plotter"],
  [
    /^letter_hands\.(svg|png)$/,
    "one text three ways: unprimed lines, each primed by the last (drifts), all by the first",
  ],
  [/^primed_hello_world\.png$/, "the browser writer primed by two lines drawn on its pad"],
  [
    /^adapted_hello_there\.png$/,
    "the browser writer adapted (5 steps) to a cursive line imported as a style",
  ],
  [/^(README\.md|peer_cuda\.jsonl|webgpu\.json)$/, "GPU measurements (see that folder's README)"],
];

/** A gallery entry: a figure (PNG under `results/`), the paper's figure it stands beside, and how they compare in one sentence. */
export interface GalleryEntry {
  png: string;
  paper: string;
  compare: string;
}

/**
 * The command that regenerates `file` (project-relative): its own record's,
 * the record beside it (`x.csv` → `x.record.json`), else its writer's.
 */
function commandFor(file: string): string {
  const folder = file.split("/")[1];
  const beside = file.replace(/(\.record)?\.\w+$/, ".record.json");
  for (const f of [file, beside, join("results", folder, "metrics.json"), "results/bench.record.json"]) {
    const inFolder = f === file || f === beside || file.startsWith(`results/${folder}/`);
    if (!f.endsWith(".json") || !inFolder) continue;
    if (f === "results/bench.record.json" && !/bench(\.|_)/.test(file)) continue;
    try {
      const j = JSON.parse(Deno.readTextFileSync(join(PROJECT_ROOT, f)));
      const cmd = j.record?.command ?? j.command;
      if (cmd) return cmd;
    } catch { /* no record there */ }
  }
  const letter = "deno task write --file docs/examples/letter.txt";
  if (/letter-\d\.(svg|png)$/.test(file)) return `${letter} --simplify 0.05 --out results/write/letter.svg`;
  if (/letter-\d\.gcode$/.test(file)) {
    return `${letter} --simplify 0.05 --format gcode --out results/write/letter.gcode`;
  }
  if (/letter_hands\./.test(file)) return `${letter} --compare-hands --out results/write/letter_hands.svg`;
  if (folder === "write") {
    return 'deno task write "hello world" --bias 1 --samples 3 --out results/write/hello_world.svg';
  }
  if (folder === "web") return "GRAVES_WEB_SCREENSHOT=1 deno test -A tests/web/";
  if (folder === "checkpoints") {
    return "deno task ship <experiment> <run> (the phases: deno task recipe <experiment>)";
  }
  if (file.includes("bench_micro")) return "deno task bench --micro";
  return "see the folder's README";
}

function* walk(dir: string): Generator<string> {
  for (const e of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* walk(p);
    else yield p;
  }
}

/** The text of `results/README.md`: its gallery and its experiment-specific file kinds are the experiments' own (`gallery`, `files` of each declaration). */
export function resultsIndex(gallery: readonly GalleryEntry[], files: readonly FileKind[] = []): string {
  const kinds = [...files, ...KINDS];
  const root = join(PROJECT_ROOT, "results");
  const rows: string[] = [];
  const seen = new Set<string>();
  for (const p of walk(root)) {
    const rel = relative(PROJECT_ROOT, p);
    if (rel === "results/README.md" || rel === "results/timings.jsonl") continue;
    const parts = rel.split("/");
    if (parts[1] === "checkpoints") {
      const key = parts.slice(0, 3).join("/");
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push(
        `| \`${key}/\` | the shipped float16 ${parts[2]} network and its record | \`${commandFor(rel)}\` |`,
      );
      continue;
    }
    const name = parts.at(-1)!;
    const kind = kinds.find(([re]) => re.test(name));
    // a folder named after another shipped network (e.g. handwriting-awn) holds that network's scores
    const of = parts.length === 4 && exists(join(root, "checkpoints", parts[2]))
      ? ` (of \`checkpoints/${parts[2]}\`)`
      : "";
    const what = kind
      ? name.replace(kind[0], kind[1]).replace(/^.*?(?=[A-Za-z])/, "") + of
      : "(no description)";
    rows.push(
      `| \`${rel.slice("results/".length)}\` | ${kind ? what : "(no description)"} | \`${
        commandFor(rel)
      }\` |`,
    );
  }
  return [
    "# Results",
    "",
    "Every file here is written by a command (`deno task results` writes this list from the files",
    "themselves); each `metrics.json` and `eval_*.json` records the command, commit, a clean tree, the",
    "commit's date, backend, machine and data behind its numbers.",
    "",
    "## Gallery",
    "",
    "Each figure with the paper's number and how it compares with the paper's (regenerated by its notebook).",
    "",
    ...gallery.filter((g) => exists(join(root, g.png))).flatMap((g) => [
      `**${g.paper}**: ${g.compare}.`,
      "",
      `![${g.paper}](${g.png})`,
      "",
    ]),
    "## Files",
    "",
    "| file | what it shows | regenerate with |",
    "| --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
