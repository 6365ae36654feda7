/**
 * A notebook's run: which profile, and where it writes. The reproduction
 * (`deno task notebooks` / `deno task reproduce`, which set
 * `GRAVES_NOTEBOOK_OUT=results`) writes `results/<notebook>/`; a notebook run
 * by hand in Jupyter writes `scratch/<notebook>/` (ignored by git), so that
 * changing a value and looking never overwrites a tracked result. Either way
 * the first cell says which, and scores written by `deno task eval` are read
 * from `results/<notebook>/`.
 * @module
 */
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";
import { initBackend } from "../backend.ts";
import { profileName, recordTiming, type RunRecord, runRecord } from "./record.ts";

/** Where a notebook run writes: the tracked reproduction, or the ignored scratch folder. */
export type NotebookOutput = "results" | "scratch";

/** The environment variable `deno task notebooks` sets to `results` (else `scratch`). */
export const NOTEBOOK_OUT_ENV = "GRAVES_NOTEBOOK_OUT";

/** An open notebook run. */
export interface NotebookRun {
  /** The notebook's name, e.g. `04_handwriting_synthesis`. */
  name: string;
  /** `quick` (default) or `paper` (`GRAVES_PROFILE`). */
  profile: "quick" | "paper";
  /** Where this run writes its figures, tables and metrics (created). */
  out: string;
  /** `results/<name>`: the reproduction's folder, where `deno task eval` writes full scores. */
  results: string;
  /** Which of the two `out` is. */
  writes: NotebookOutput;
  /** The backend's short name (the full line goes to records, not to outputs). */
  backend: string;
  /** The record of this run (`runRecord` with the command that regenerates it). */
  record(r: Pick<RunRecord, "data" | "config">): RunRecord;
  /** Notes how long the run took in `results/timings.jsonl` (ignored by git). */
  done(): void;
}

/** `results/<name>` or `scratch/<name>` (not created). */
export function notebookFolder(name: string, writes: NotebookOutput): string {
  return join(PROJECT_ROOT, writes, name);
}

/** Which folder a notebook run writes: `GRAVES_NOTEBOOK_OUT`, default `scratch`. */
export function notebookOutput(): NotebookOutput {
  const v = Deno.env.get(NOTEBOOK_OUT_ENV) ?? "scratch";
  if (v !== "results" && v !== "scratch") {
    throw new Error(`${NOTEBOOK_OUT_ENV}=${v}: expected results or scratch`);
  }
  return v;
}

/**
 * Opens notebook `name`: initialises the backend quietly (its full line goes
 * to the run's record, since it differs between machines), creates the
 * output folder and says in one line where this run writes.
 */
export async function openNotebook(name: string): Promise<NotebookRun> {
  const t0 = performance.now();
  const profile = profileName();
  const writes = notebookOutput();
  const backend = await initBackend({ quiet: true });
  const out = notebookFolder(name, writes);
  Deno.mkdirSync(out, { recursive: true });
  const shown = relative(PROJECT_ROOT, out) + "/";
  console.log(
    writes === "results"
      ? `profile ${profile}; writing ${shown} (the reproduction)`
      : `profile ${profile}; writing ${shown} (ignored by git: \`deno task notebooks ${name}\` writes results/)`,
  );
  return {
    name,
    profile,
    out,
    results: notebookFolder(name, "results"),
    writes,
    backend: backend.name,
    record: (r) =>
      runRecord({
        command: `GRAVES_PROFILE=${profile} deno task notebooks ${name}`,
        profile,
        ...r,
        // scratch is untracked: an edited notebook may write there, and its record says dirty
      }, { allowDirty: writes === "scratch" }),
    done: () => recordTiming(`notebooks ${name} (${writes})`, (performance.now() - t0) / 1000),
  };
}
