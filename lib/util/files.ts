/**
 * Files people keep (documents, pages, style files, result files): checked
 * before any work is done, and written so that nothing half-written is ever
 * left under their names. One file goes through a temporary name and a
 * rename; a set of pages is rendered aside, then swapped in, so a finished
 * write leaves exactly its own pages and never a mix with an earlier set.
 * @module
 */
import { basename, dirname, join } from "node:path";
import { exists } from "./paths.ts";

/** Testing hook: `GRAVES_FAULT=<point>:<n>` ends the process abruptly (exit 137) the n-th time it reaches `point`. */
const faults = new Map<string, number>();
export function faultPoint(point: string): void {
  const spec = Deno.env.get("GRAVES_FAULT");
  if (!spec?.startsWith(`${point}:`)) return;
  const n = (faults.get(point) ?? 0) + 1;
  faults.set(point, n);
  if (n === Number(spec.slice(point.length + 1))) Deno.exit(137);
}

/**
 * Throws, naming the path and the reason, unless a file can be written at
 * `path`: its folder exists and takes a file (probed with a temporary one),
 * it is not itself a folder, and its name ends with one of `ext` (when given).
 * Commands call it before the work, so a typo costs nothing.
 */
export function assertWritableFile(path: string, o: { ext?: string[]; what?: string } = {}): void {
  const what = o.what ?? "output";
  if (!path || path.endsWith("/")) throw new Error(`${what} ${JSON.stringify(path)}: a file name is needed`);
  if (exists(path) && !Deno.statSync(path).isFile && !Deno.statSync(path).isDirectory) return; // /dev/null, a pipe
  if (o.ext && !o.ext.some((e) => path.toLowerCase().endsWith(e))) {
    throw new Error(`${what} ${path}: the name must end with ${o.ext.join(" or ")}`);
  }
  if (exists(path) && Deno.statSync(path).isDirectory) throw new Error(`${what} ${path}: is a folder`);
  const dir = dirname(path);
  if (!exists(dir)) throw new Error(`${what} ${path}: the folder ${dir} does not exist`);
  const probe = join(dir, `.${basename(path)}.probe-${Deno.pid}`);
  try {
    Deno.writeTextFileSync(probe, "");
    Deno.removeSync(probe);
  } catch (e) {
    throw new Error(`${what} ${path}: cannot write in ${dir} (${(e as Error).message})`);
  }
}

/** Writes `data` to `path` through a temporary file and a rename: readers see the old file or the new, never part. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${Deno.pid}`);
  const left = `.${basename(path)}.tmp-`; // what a killed write of this file left
  for (const e of Deno.readDirSync(dirname(path))) {
    if (e.name.startsWith(left) && /^\d+$/.test(e.name.slice(left.length))) {
      Deno.removeSync(join(dirname(path), e.name));
    }
  }
  try {
    if (typeof data === "string") Deno.writeTextFileSync(tmp, data);
    else Deno.writeFileSync(tmp, data);
    faultPoint("file-written");
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch { /* never written */ }
    throw e;
  }
}

/**
 * Replaces the set of files whose names `isMember` accepts in `dir` with
 * `files` (name → contents). Everything is written into a hidden folder
 * first (a kill there leaves the old set untouched); then the old set moves
 * aside into another hidden folder, the new files are renamed in, and the old
 * set is removed. Leftovers of a killed write for the same `tag` are cleared
 * first. Returns the paths written.
 */
export function replaceFileSet(
  dir: string,
  tag: string,
  isMember: (name: string) => boolean,
  files: Map<string, string | Uint8Array>,
): string[] {
  const leftover = new RegExp(`^\\.${tag.replace(/[^A-Za-z0-9_-]/g, "_")}\\.(new|old)-\\d+$`);
  for (const e of Deno.readDirSync(dir)) {
    if (leftover.test(e.name)) Deno.removeSync(join(dir, e.name), { recursive: true });
  }
  const safe = tag.replace(/[^A-Za-z0-9_-]/g, "_");
  const fresh = join(dir, `.${safe}.new-${Deno.pid}`), aside = join(dir, `.${safe}.old-${Deno.pid}`);
  Deno.mkdirSync(fresh);
  for (const [name, data] of files) {
    if (typeof data === "string") Deno.writeTextFileSync(join(fresh, name), data);
    else Deno.writeFileSync(join(fresh, name), data);
  }
  faultPoint("set-rendered");
  Deno.mkdirSync(aside);
  for (const e of [...Deno.readDirSync(dir)]) {
    if (e.isFile && isMember(e.name)) Deno.renameSync(join(dir, e.name), join(aside, e.name));
  }
  const written = [...files.keys()].map((name) => {
    Deno.renameSync(join(fresh, name), join(dir, name));
    return join(dir, name);
  });
  Deno.removeSync(fresh, { recursive: true });
  Deno.removeSync(aside, { recursive: true });
  return written;
}
