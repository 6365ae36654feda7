/**
 * The README's headline table and `results/README.md`, generated from the
 * result files (`metrics.json`, `eval_*.json`), never typed: `deno task
 * results` writes them, and a test fails when the committed README differs
 * from what it writes. Each row: the paper's number, ours, the gap, and how
 * ours was obtained (the network's short label, the lines or characters
 * scored, a data prefix) — at most 120 characters a cell.
 * @module
 */
import { join } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";
import { clip, shortenedLabel } from "../util/text.ts";

/** Where the headline table sits in README.md. */
export const HEADLINE_START = "<!-- results:start (deno task results writes this table) -->";
export const HEADLINE_END = "<!-- results:end -->";

/** A result file as JSON, or undefined when absent. */
function read(rel: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(join(PROJECT_ROOT, "results", rel)));
  } catch {
    return undefined;
  }
}

/** Table 1's word rows the README shows: the result file of each of our networks and the paper's row for it. */
const WORD_ROWS = [
  {
    experiment: "PTB words (Table 1)",
    file: "eval_words_test.json",
    regularisation: "no regularisation",
    paper: [138, 126],
    epochs: 11,
  },
  {
    experiment: "PTB words, weight noise",
    file: "eval_words_test_noise.json",
    regularisation: "weight noise",
    paper: [126, 117],
    epochs: 14,
  },
] as const;

const num = (v: unknown) => (typeof v === "number" ? v : NaN);
/** `v` to `d` decimals with a true minus sign; "–" when missing. */
const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d).replace(/^-/, "−") : "–");
const n = (v: unknown) => Number(v).toLocaleString("en-US");
const gap = (ours: number, paper: number, d: number) =>
  Number.isFinite(ours) ? `${ours - paper >= 0 ? "+" : "−"}${Math.abs(ours - paper).toFixed(d)}` : "–";

/** One headline row. */
export interface HeadlineRow {
  experiment: string;
  measure: string;
  paper: string;
  ours: string;
  gap: string;
  how: string;
  /** The files the row was read from. */
  sources: string[];
}

/** The headline rows, read from `results/`. */
export function headlineRows(): HeadlineRow[] {
  const rows: HeadlineRow[] = [];
  const ptb = read("01_text_ptb/eval_full.json"), ptbM = read("01_text_ptb/metrics.json");
  if (ptb && ptbM) {
    const [s, d] = [num(ptb.test_bpc_static), num(ptb.test_bpc_dynamic)];
    rows.push({
      experiment: "PTB characters (Table 1)",
      measure: "test BPC, static / dynamic",
      paper: "1.27 / 1.24 (weight noise)",
      ours: `${f(s, 3)} / ${f(d, 3)}`,
      gap: `${gap(s, 1.27, 3)} / ${gap(d, 1.24, 3)}`,
      how: clip(`${ptbM.label}; ${ptb.streams === 1 ? "one stream" : `${ptb.streams ?? 32} streams`}`),
      sources: ["01_text_ptb/eval_full.json", "01_text_ptb/metrics.json"],
    });
  }
  for (const w of WORD_ROWS) {
    const words = read(`01_text_ptb/${w.file}`);
    if (!words) continue;
    const ppl = (k: string) => num((words[k] as Record<string, unknown> | undefined)?.perplexity);
    const [s, d] = [ppl("test_static"), ppl("test_dynamic")];
    rows.push({
      experiment: w.experiment,
      measure: "test perplexity, static / dynamic",
      paper: `${w.paper[0]} / ${w.paper[1]} (${w.regularisation})`,
      ours: `${f(s, 0)} / ${f(d, 0)}`,
      gap: `${gap(s, w.paper[0], 0)} / ${gap(d, w.paper[1], 0)}`,
      how: clip(
        `${shortenedLabel(String(words.label), num(words.epochs), w.epochs)}${
          words.weight_noise_from_step ? `; noise from step ${n(words.weight_noise_from_step)}` : ""
        }; one stream; not shipped`,
      ),
      sources: [`01_text_ptb/${w.file}`],
    });
  }
  const wiki = read("02_text_wikipedia/eval_full.json"), wikiM = read("02_text_wikipedia/metrics.json");
  if (wiki && wikiM) {
    const [s, d] = [num(wiki.valid_bpc_static), num(wiki.valid_bpc_dynamic)];
    rows.push({
      experiment: "Wikipedia bytes (Table 2)",
      measure: "validation BPC, static / dynamic",
      paper: "1.67 / 1.33 (96M bytes)",
      ours: `${f(s, 2)} / ${f(d, 2)}`,
      gap: wiki.data_is_prefix ? "not comparable (prefix)" : `${gap(s, 1.67, 2)} / ${gap(d, 1.33, 2)}`,
      how: clip(String(wikiM.label)),
      sources: ["02_text_wikipedia/eval_full.json", "02_text_wikipedia/metrics.json"],
    });
  }
  for (
    const [name, dir, paper, table] of [
      ["handwriting prediction", "03_handwriting_prediction", -1041.0, "Table 3"],
      ["handwriting synthesis", "04_handwriting_synthesis", -1096.9, "Table 4"],
    ] as const
  ) {
    const full = read(`${dir}/eval_full.json`), m = read(`${dir}/metrics.json`);
    if (!full || !m) continue;
    const all = num(full.valid_nats_per_sequence);
    const report = read(`${dir}/eval_report.json`);
    const r = report && report.step === full.step ? num(report.valid_nats_per_sequence) : NaN;
    rows.push({
      experiment: `${name[0].toUpperCase()}${name.slice(1)} (${table})`,
      measure: "validation nats per line",
      paper: f(paper, 1),
      ours: `${f(all, 1)} (all ${n(full.valid_lines_scored)} lines)` +
        (Number.isFinite(r) ? `; ${f(r, 1)} (report half, not held out)` : ""),
      gap: gap(all, paper, 1),
      how: clip(`${m.label}; members chosen on these lines`),
      sources: [
        `${dir}/eval_full.json`,
        `${dir}/metrics.json`,
        ...(report ? [`${dir}/eval_report.json`] : []),
      ],
    });
  }
  return rows;
}

/** The headline table in Markdown, as it stands between the README's markers. */
export function headlineMarkdown(rows = headlineRows()): string {
  const head =
    "| experiment | measure | paper | ours | gap | how ours was obtained |\n| --- | --- | --- | --- | --- | --- |";
  const body = rows.map((r) =>
    `| ${r.experiment} | ${r.measure} | ${r.paper} | ${r.ours} | ${r.gap} | ${r.how} |`
  );
  return [head, ...body].join("\n");
}

/** `readme` with the text between the headline markers replaced by `table`; throws without the markers. */
export function withHeadline(readme: string, table: string): string {
  const a = readme.indexOf(HEADLINE_START), b = readme.indexOf(HEADLINE_END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${HEADLINE_START} … ${HEADLINE_END} markers`);
  return `${readme.slice(0, a + HEADLINE_START.length)}\n${table}\n${readme.slice(b)}`;
}
