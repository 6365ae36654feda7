/**
 * The README's headline table and `results/README.md`, generated from the
 * result files (`metrics.json`, `eval_*.json`), never typed: `deno task
 * results` writes them, and a test fails when the committed README differs
 * from what it writes. Each experiment declares its rows (`headline` in
 * `lib/experiments/<name>.ts`): the paper's number, ours, the gap, and how
 * ours was obtained (the network's short label, the lines or characters
 * scored, a data prefix) — at most 120 characters a cell.
 * @module
 */
import { join } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";

/** Where the headline table sits in README.md. */
export const HEADLINE_START = "<!-- results:start (deno task results writes this table) -->";
export const HEADLINE_END = "<!-- results:end -->";

/** Reads a result file (`results/<rel>`) as JSON: undefined when absent. */
export type ReadResult = (rel: string) => Record<string, unknown> | undefined;

/** A result file as JSON, or undefined when absent. */
export const readResult: ReadResult = (rel) => {
  try {
    return JSON.parse(Deno.readTextFileSync(join(PROJECT_ROOT, "results", rel)));
  } catch {
    return undefined;
  }
};

/** A number from a result file, NaN when it is not one. */
export const num = (v: unknown): number => (typeof v === "number" ? v : NaN);
/** `v` to `d` decimals with a true minus sign; "–" when missing. */
export const fixed = (
  v: number,
  d: number,
): string => (Number.isFinite(v) ? v.toFixed(d).replace(/^-/, "−") : "–");
/** A count with thousands separators. */
export const count = (v: unknown): string => Number(v).toLocaleString("en-US");
/** Ours − the paper's, signed, to `d` decimals; "–" when ours is missing. */
export const gap = (ours: number, paper: number, d: number): string =>
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

/**
 * The headline rows: each experiment's `headline` (`lib/experiments/`, in
 * the registry's order) reads its own result files.
 */
export function headlineRows(
  experiments: Iterable<{ headline?: (read: ReadResult) => HeadlineRow[] }>,
  read: ReadResult = readResult,
): HeadlineRow[] {
  return [...experiments].flatMap((e) => e.headline?.(read) ?? []);
}

/** The headline table in Markdown, as it stands between the README's markers. */
export function headlineMarkdown(rows: HeadlineRow[]): string {
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
