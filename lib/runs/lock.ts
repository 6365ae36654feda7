/**
 * One writer per run folder: `<dir>/.lock` holds the writer's pid, host and
 * start time, created exclusively. A second writer is refused with a message
 * naming the holder; a lock whose process is gone (same host, no such pid)
 * is stale and taken over, with a note.
 * @module
 */
import { join } from "node:path";
import { hostname } from "node:os";
import { displayPath, exists } from "../util/paths.ts";

/** Who holds a run folder. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/** A run folder another live process is writing. */
export class RunFolderLockedError extends Error {
  constructor(readonly dir: string, readonly holder: LockHolder) {
    super(
      `${
        displayPath(dir)
      } is being written by process ${holder.pid} on ${holder.host} since ${holder.since}: ` +
        `wait for it to finish, or train into another --run-dir`,
    );
    this.name = "RunFolderLockedError";
  }
}

/** Whether process `pid` runs on this host (Linux: /proc; elsewhere assumed alive). */
function alive(pid: number): boolean {
  if (Deno.build.os !== "linux") return true;
  return exists(`/proc/${pid}`);
}

/**
 * Takes `dir`'s lock (creating `dir`); returns the function that releases
 * it. Throws `RunFolderLockedError` while a live process holds it.
 */
export function lockRunFolder(dir: string, log: (s: string) => void = console.log): () => void {
  Deno.mkdirSync(dir, { recursive: true });
  const path = join(dir, ".lock");
  const me: LockHolder = { pid: Deno.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const f = Deno.openSync(path, { write: true, createNew: true });
      f.writeSync(new TextEncoder().encode(JSON.stringify(me) + "\n"));
      f.close();
      return () => {
        try {
          const now = JSON.parse(Deno.readTextFileSync(path)) as LockHolder;
          if (now.pid === me.pid && now.host === me.host) Deno.removeSync(path);
        } catch { /* already gone */ }
      };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    let holder: LockHolder | undefined;
    try {
      holder = JSON.parse(Deno.readTextFileSync(path));
    } catch { /* half-written by a writer killed at that moment: stale */ }
    if (holder && (holder.host !== me.host || alive(holder.pid))) throw new RunFolderLockedError(dir, holder);
    log(`${displayPath(dir)}: taking over a stale lock${holder ? ` of process ${holder.pid} (gone)` : ""}`);
    Deno.removeSync(path);
  }
  throw new Error(`${displayPath(dir)}: could not take the run folder's lock`);
}
