/**
 * Command-line arguments no command ignores: `node:util`'s `parseArgs` with
 * `allowPositionals` keeps every positional, and a command that reads only the
 * first would silently drop the rest (`deno task recipe <experiment> runs/x` printed the
 * shipped checkpoint's recipe, not `runs/x`'s), and numbers read strictly:
 * a flag's value is a number in its range or the command stops with one line
 * saying what was expected.
 * @module
 */
import { UsageError } from "./errors.ts";

/** The range a numeric flag takes. */
export interface NumberRange {
  /** Lowest value allowed. */
  min?: number;
  /** Values must be above this one. */
  above?: number;
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
}

/** What `range` allows, in words: "a whole number ≥ 1", "a number > 0". */
function expected(r: NumberRange): string {
  const kind = r.integer ? "a whole number" : "a number";
  const bounds = [
    r.min !== undefined ? `≥ ${r.min}` : r.above !== undefined ? `> ${r.above}` : "",
    r.max !== undefined ? `≤ ${r.max}` : "",
  ].filter(Boolean).join(" and ");
  return bounds ? `${kind} ${bounds}` : kind;
}

/**
 * `raw` (the value given to `--flag`) as a number in `range`; anything else
 * (`abc`, `1e`, an empty string, out of range) throws a `UsageError` naming
 * the flag and what it takes. `undefined` stays undefined.
 */
export function numberFlag(
  flag: string,
  raw: string | undefined,
  range: NumberRange = {},
): number | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim() === "" ? NaN : Number(raw);
  const ok = Number.isFinite(v) && (!range.integer || Number.isInteger(v)) &&
    (range.min === undefined || v >= range.min) && (range.above === undefined || v > range.above) &&
    (range.max === undefined || v <= range.max);
  if (!ok) throw new UsageError(`--${flag} ${raw}: expected ${expected(range)}`);
  return v;
}

/**
 * Exits with status 2 and a message naming the extra arguments when there are
 * more than `expected` positionals; `hint` says what was likely meant, e.g.
 * "a checkpoint is given as --checkpoint dir".
 */
export function refuseExtraArguments(positionals: string[], expected: number, hint: string): void {
  if (positionals.length <= expected) return;
  const extra = positionals.slice(expected);
  console.error(`unexpected argument${extra.length > 1 ? "s" : ""} ${extra.join(" ")}: ${hint}`);
  Deno.exit(2);
}

/** `--seeds n` as the seeds 1…n (a whole number from 1 to 20). */
export function seedsFlag(raw: string | undefined): number[] {
  const n = numberFlag("seeds", raw, { integer: true, min: 1, max: 20 })!;
  return Array.from({ length: n }, (_, i) => i + 1);
}
