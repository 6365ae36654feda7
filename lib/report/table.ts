/**
 * Result tables as nodejs-polars DataFrames: shown in notebooks, written as
 * CSV next to the figures.
 * @module
 */
import pl from "nodejs-polars";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";
import { jupyter } from "../util/jupyter.ts";
import { roundMeasures } from "./precision.ts";

/**
 * A DataFrame from rows (column order from the first row), each number at the
 * precision its column's measure means (`roundMeasures`: bits 3 decimals,
 * nats 2, …), so a table written on another machine has the same bytes. A
 * column of whole numbers is Int64 unless named in `floats` (a measure that
 * happened to come out whole, e.g. an error of 77.0%, stays Float64).
 */
export function table(
  raw: Record<string, string | number | boolean | null>[],
  floats: string[] = [],
): pl.DataFrame {
  if (raw.length === 0) throw new Error("table: no rows");
  const rows = roundMeasures(raw);
  const cols = Object.keys(rows[0]);
  return pl.DataFrame(cols.map((c) => {
    const v = rows.map((r) => r[c] ?? null);
    if (floats.includes(c)) return pl.Series(c, v, pl.Float64);
    const ints = v.every((x) => x === null || (typeof x === "number" && Number.isInteger(x)));
    return ints ? pl.Series(c, v, pl.Int64) : pl.Series(c, v);
  }));
}

/** Writes `<dir>/<name>.csv`; returns its path relative to the project. */
export function writeTable(df: pl.DataFrame, dir: string, name: string): string {
  Deno.mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.csv`);
  Deno.writeTextFileSync(path, df.writeCSV().toString());
  return relative(PROJECT_ROOT, path);
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** Decimals shown in a column: as many as its most precise number has (one column, one format). */
function columnDecimals(values: unknown[]): number | undefined {
  const nums = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (nums.length < values.filter((v) => v !== null && v !== undefined).length) return undefined;
  return Math.max(0, ...nums.map((v) => (String(v).split(".")[1] ?? "").length));
}

/** HTML for a DataFrame (notebook display): numbers right-aligned, one number of decimals per column. */
export function tableHtml(df: pl.DataFrame, caption?: string): string {
  const rows = df.toRecords() as Record<string, unknown>[];
  const cols = df.columns;
  const decimals = Object.fromEntries(cols.map((c) => [c, columnDecimals(rows.map((r) => r[c]))]));
  const fmt = (v: unknown, c: string) =>
    typeof v === "number" && decimals[c] ? v.toFixed(decimals[c]) : String(v ?? "");
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ""}<thead><tr>${
    cols.map((c) => `<th>${esc(c)}</th>`).join("")
  }</tr></thead>` +
    `<tbody>${
      rows.map((r) =>
        `<tr>${
          cols.map((c) =>
            typeof r[c] === "number"
              ? `<td style="text-align: right">${esc(fmt(r[c], c))}</td>`
              : `<td>${esc(fmt(r[c], c))}</td>`
          ).join("")
        }</tr>`
      ).join("")
    }</tbody></table>`;
}

/** The polars settings that cut or wrap a table's text view: rows, columns, string length, line width. */
const WHOLE = [
  "POLARS_FMT_MAX_ROWS",
  "POLARS_FMT_MAX_COLS",
  "POLARS_FMT_STR_LEN",
  "POLARS_TABLE_WIDTH",
] as const;

/**
 * The plain-text view of a DataFrame, whole: polars' own formatting, with no
 * row, column or cell cut to "…" (its defaults show 10 rows and 32 characters
 * of a string) and no cell wrapped onto several lines. Any user setting of
 * those variables is restored afterwards.
 */
export function tableText(df: pl.DataFrame): string {
  const records = df.toRecords() as Record<string, unknown>[];
  const widths = df.columns.map((c) => Math.max(c.length, ...records.map((r) => String(r[c]).length)));
  const limits = [df.height, df.width, Math.max(...widths), widths.reduce((a, w) => a + w + 3, 1)];
  const before = WHOLE.map((k) => Deno.env.get(k));
  WHOLE.forEach((k, i) => Deno.env.set(k, String(Math.max(limits[i], 1))));
  try {
    return df.toString();
  } finally {
    WHOLE.forEach((k, i) => before[i] === undefined ? Deno.env.delete(k) : Deno.env.set(k, before[i]!));
  }
}

/** Shows a table in a notebook (HTML and plain text); prints it elsewhere. */
export async function showTable(df: pl.DataFrame, caption?: string): Promise<void> {
  const jup = jupyter();
  if (jup) {
    await jup.display({ "text/html": tableHtml(df, caption), "text/plain": tableText(df) }, { raw: true });
  } else console.log((caption ? caption + "\n" : "") + tableText(df));
}
