/**
 * Run records and results folders: every number a notebook writes to
 * `results/<notebook>/` goes with the config, data fingerprint, backend, wall
 * time and commit that produced it, and the command that regenerates it.
 * @module
 */
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";
import { backendReport } from "../backend.ts";

/** `results/<name>/`, created. */
export function resultsDir(name: string): string {
  const dir = join(PROJECT_ROOT, "results", name);
  Deno.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The notebook profile: `GRAVES_PROFILE` (`quick` or `paper`), default `quick`. */
export function profileName(): "quick" | "paper" {
  const p = Deno.env.get("GRAVES_PROFILE") ?? "quick";
  if (p !== "quick" && p !== "paper") throw new Error(`GRAVES_PROFILE=${p}: expected quick or paper`);
  return p;
}

/** The current git commit (short), or "unknown". */
export function gitCommit(): string {
  try {
    const out = new Deno.Command("git", {
      args: ["rev-parse", "--short", "HEAD"],
      cwd: PROJECT_ROOT,
      stdout: "piped",
      stderr: "null",
    })
      .outputSync();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : "unknown";
  } catch {
    return "unknown";
  }
}

/** What produced a result. */
export interface RunRecord {
  /** The command that regenerates it. */
  command: string;
  profile: string;
  backend: string;
  commit: string;
  date: string;
  /** Data identity (sizes, checksums, cache keys). */
  data: Record<string, unknown>;
  config: Record<string, unknown>;
  wallSeconds: number;
}

/** A record for the current process. */
export function runRecord(r: Omit<RunRecord, "backend" | "commit" | "date">): RunRecord {
  return {
    ...r,
    backend: backendReport()?.line ?? "not initialised",
    commit: gitCommit(),
    date: new Date().toISOString(),
  };
}

/** Writes `metrics.json` (the headline numbers and the run record behind them); returns its project-relative path. */
export function writeMetrics(dir: string, metrics: Record<string, unknown>, record: RunRecord): string {
  const path = join(dir, "metrics.json");
  Deno.writeTextFileSync(path, JSON.stringify({ ...metrics, record }, null, 2) + "\n");
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
