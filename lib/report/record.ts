/**
 * Run records and results folders: every number a notebook or command writes
 * to `results/` goes with the record of what produced it — the exact command
 * line, the commit and whether the working tree had uncommitted changes, that
 * commit's date, the backend line, the machine, the data's fingerprint and the
 * config. Records hold no wall-clock values, so re-running a notebook on the
 * same commit and checkpoints rewrites the same bytes; how long a run took
 * goes to `results/timings.jsonl` (ignored by git).
 * @module
 */
import { basename, dirname, join, relative, resolve } from "node:path";
import { cpus } from "node:os";
import { displayPath, PROJECT_ROOT } from "../util/paths.ts";
import { backendReport } from "../backend.ts";
import { writeFileAtomic } from "../util/files.ts";
import { roundMeasures } from "./precision.ts";

/** `results/<name>/`, created. */
export function resultsDir(name: string): string {
  const dir = join(PROJECT_ROOT, "results", name);
  Deno.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Where `deno task eval` writes a checkpoint's scores, under `results/`: the
 * notebook's folder `results` for the experiment's own network (`shipped`) or
 * a run; for another shipped network beside it (`results/checkpoints/
 * handwriting-awn`) a folder of that name inside it, so its scores never
 * overwrite the shipped network's.
 */
export function scoresFolder(results: string, shipped: string, checkpoint: string): string {
  const dir = resolve(checkpoint);
  const besideShipped = dirname(dir) === dirname(resolve(shipped)) && dir !== resolve(shipped);
  return besideShipped ? join(results, basename(dir)) : results;
}

/** The notebook profile: `GRAVES_PROFILE` (`quick` or `paper`), default `quick`. */
export function profileName(): "quick" | "paper" {
  const p = Deno.env.get("GRAVES_PROFILE") ?? "quick";
  if (p !== "quick" && p !== "paper") throw new Error(`GRAVES_PROFILE=${p}: expected quick or paper`);
  return p;
}

/** `git …` in the project: its output, or undefined outside a checkout. */
function git(args: string[]): string | undefined {
  try {
    const out = new Deno.Command("git", { args, cwd: PROJECT_ROOT, stdout: "piped", stderr: "null" })
      .outputSync();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** The current git commit (short), or "unknown". */
export function gitCommit(): string {
  return git(["rev-parse", "--short", "HEAD"])?.trim() || "unknown";
}

/** The code cells of a notebook's JSON, for comparing its code apart from its outputs. */
function notebookCode(json: string | undefined): string {
  try {
    const nb = JSON.parse(json ?? "") as { cells: { cell_type: string; source: string[] | string }[] };
    return JSON.stringify(nb.cells.filter((c) => c.cell_type === "code").map((c) => c.source));
  } catch {
    return "";
  }
}

/**
 * The files with uncommitted changes that could change a result: everything
 * but `results/` (what runs write) and, in notebooks, anything but their code
 * cells (their outputs are rewritten by every run).
 */
export function uncommittedChanges(): string[] {
  const status = git(["status", "--porcelain", "--untracked-files=no"]) ?? "";
  return status.split("\n").filter(Boolean).map((l) => l.slice(3)).filter((path) => {
    if (path.startsWith("results/")) return false;
    if (!path.endsWith(".ipynb")) return true;
    const now = (() => {
      try {
        return Deno.readTextFileSync(join(PROJECT_ROOT, path));
      } catch {
        return undefined;
      }
    })();
    return notebookCode(now) !== notebookCode(git(["show", `HEAD:${path}`]));
  });
}

/** The CPU and its cores, e.g. "AMD EPYC 9R14, 2 cores". */
export function machine(): string {
  let cpu = Deno.build.arch as string;
  try {
    cpu = Deno.readTextFileSync("/proc/cpuinfo").match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpu;
  } catch { /* not Linux */ }
  return `${cpu}, ${cpus().length} cores`;
}

/** What produced a result. */
export interface RunRecord {
  /** The exact command that regenerates it. */
  command: string;
  profile: string;
  backend: string;
  /** The commit it was produced at, and whether the tree had uncommitted changes (`uncommittedChanges`). */
  commit: string;
  dirty: boolean;
  /** That commit's date (not the run's: records hold no wall-clock values). */
  date: string;
  machine: string;
  /** Data identity (sizes, checksums, cache keys). */
  data: Record<string, unknown>;
  config: object;
}

/**
 * A record for the current process. `command` defaults to the task and
 * arguments it was started with. From a tree with uncommitted changes it
 * throws unless `GRAVES_ALLOW_DIRTY=1` or `options.allowDirty` (a run that
 * writes only to an untracked folder), and then says `dirty: true`.
 */
export function runRecord(
  r: Omit<RunRecord, "backend" | "commit" | "date" | "dirty" | "machine" | "command"> & { command?: string },
  options: { allowDirty?: boolean } = {},
): RunRecord {
  const changed = uncommittedChanges();
  if (changed.length && !options.allowDirty && Deno.env.get("GRAVES_ALLOW_DIRTY") !== "1") {
    throw new Error(
      `not writing results from a working tree with uncommitted changes (${changed.slice(0, 3).join(", ")}${
        changed.length > 3 ? ", …" : ""
      }): commit them first, or set GRAVES_ALLOW_DIRTY=1 (the record then says dirty: true)`,
    );
  }
  return {
    command: r.command ?? commandLine(),
    profile: r.profile,
    backend: backendReport()?.line ?? "not initialised",
    commit: gitCommit(),
    dirty: changed.length > 0,
    date: git(["log", "-1", "--format=%cI"])?.trim() ?? "unknown",
    machine: machine(),
    data: r.data,
    config: r.config,
  };
}

/**
 * `deno task <name> <args>` as this process was started (the task named by
 * its entry point); paths inside the project or the data folder as
 * `displayPath` writes them, so records name no folder of this machine.
 */
export function commandLine(): string {
  const task = Deno.mainModule.match(/lib\/cli\/(\w+)\.ts$/)?.[1] ?? "run";
  const quote = (a: string) => (/^[\w./=:,@+<>-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
  const shown = (a: string) => (a.startsWith("/") ? displayPath(a) : a);
  return ["deno task", task, ...Deno.args.map((a) => quote(shown(a)))].join(" ");
}

/** Appends how long `what` took to `results/timings.jsonl` (ignored by git: timings never enter results). */
export function recordTiming(what: string, seconds: number): void {
  const line = JSON.stringify({ what, seconds, date: new Date().toISOString(), machine: machine() });
  Deno.writeTextFileSync(join(PROJECT_ROOT, "results", "timings.jsonl"), line + "\n", { append: true });
}

/**
 * Writes `metrics.json` (the headline numbers, each at the precision that
 * means something (`roundMeasures`), and the run record behind them);
 * returns its project-relative path. A file whose numbers and config are
 * unchanged is left as it is: a new commit, date or machine alone does not
 * rewrite it (the record says where the numbers were first produced).
 */
export function writeMetrics(dir: string, metrics: Record<string, unknown>, record: RunRecord): string {
  const path = join(dir, "metrics.json");
  const rounded = roundMeasures(metrics);
  const same = (() => {
    try {
      const { record: before, ...old } = JSON.parse(Deno.readTextFileSync(path));
      return JSON.stringify(old) === JSON.stringify(rounded) &&
        JSON.stringify([before.command, before.profile, before.data, before.config, before.dirty]) ===
          JSON.stringify([record.command, record.profile, record.data, record.config, record.dirty]);
    } catch {
      return false;
    }
  })();
  if (!same) writeFileAtomic(path, JSON.stringify({ ...rounded, record }, null, 2) + "\n");
  return relative(PROJECT_ROOT, path);
}

/**
 * `eval_full.json` (or `file`) in `dir` (written by `deno task eval`) when it
 * scored the checkpoint at `step` and, given `trainedUnder`, one trained that
 * way (a weight average keeps its first run's step); undefined when absent or
 * stale (another checkpoint).
 */
export function readEvalFull<T extends { step: number; trained_under?: string }>(
  dir: string,
  step: number,
  trainedUnder?: string,
  file = "eval_full.json",
): T | undefined {
  try {
    const f = JSON.parse(Deno.readTextFileSync(join(dir, file))) as T;
    const other = trainedUnder !== undefined && f.trained_under !== undefined &&
      f.trained_under !== trainedUnder;
    return f.step === step && !other ? f : undefined;
  } catch {
    return undefined;
  }
}
