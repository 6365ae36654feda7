/**
 * How an experiment says it is scored by `deno task eval <name>`: the flags
 * it takes and what a scoring writes. `lib/cli/eval.ts` only parses the
 * flags an experiment declares, runs its plan and writes the result file; the
 * experiment's own files hold the measures (bits per character, nats per
 * line, …) and the rules between its flags.
 * @module
 */
import { UsageError } from "../util/errors.ts";

/** The flags given to `deno task eval`, as `node:util` `parseArgs` returns string options. */
export type Flags = Readonly<Record<string, string | undefined>>;

/** A finished scoring: the result file's name in the experiment's results folder, its JSON and one line to print. */
export interface Scored {
  /** e.g. `eval_full.json`, `eval_select.json` (`--out` writes elsewhere). */
  file: string;
  out: Record<string, unknown>;
  /** The score in words, printed before the file is written (a failed write never loses it). */
  summary: string;
}

/** What `deno task eval <name>` does for one experiment. */
export interface Scoring {
  /** What it scores and writes, in a sentence or two (`deno task eval --help` prints it). */
  about: string;
  /** The flags it takes besides `--checkpoint dir` and `--out file`, each with one line of help. */
  flags: Readonly<Record<string, string>>;
  /**
   * Checks `flags` (a `UsageError` names the bad one, before any work) and
   * returns the scoring of the checkpoint in `checkpoint`. `out` is the
   * `--out` file when given (a partial scoring such as `--prefix` needs one).
   */
  plan(flags: Flags, o: { checkpoint: string; out?: string }): () => Promise<Scored>;
}

/** A flag's number, refused unless `ok` holds for it; `undefined` when not given. */
export function numberFlag(
  flags: Flags,
  name: string,
  ok: (x: number) => boolean,
  why: string,
): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!ok(x)) throw new UsageError(`--${name} ${v}: ${why}`);
  return x;
}
