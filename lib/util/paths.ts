/**
 * Where datasets live: `GRAVES_DATA` (default: the project's `data/` folder),
 * holding `ptb/`, `enwik8/` and `iamondb/` as described in `data/README.md`.
 * Caches the project builds go to `GRAVES_CACHE` (default `data/cache/`).
 * @module
 */
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root folder (where deno.json is). */
export const PROJECT_ROOT: string = resolve(fileURLToPath(new URL("../../", import.meta.url)));

/** The dataset folder: `GRAVES_DATA`, relative paths taken from the working directory. */
export function dataRoot(): string {
  const env = Deno.env.get("GRAVES_DATA");
  return env ? resolve(env) : join(PROJECT_ROOT, "data");
}

/**
 * `path` as records and messages show it: under the dataset folder as
 * `<data>/…`, under the project as a relative path, else unchanged. Results
 * then name no folder of the machine that wrote them.
 */
export function displayPath(path: string): string {
  const inside = (root: string) => {
    const rel = relative(root, resolve(path));
    return rel.startsWith("..") || isAbsolute(rel) ? undefined : rel;
  };
  const data = inside(dataRoot());
  if (data !== undefined) return data ? `<data>/${data}` : "<data>";
  return inside(PROJECT_ROOT) || path;
}

/** The folder for preprocessed caches (never committed). */
export function cacheDir(): string {
  const env = Deno.env.get("GRAVES_CACHE");
  return env ? resolve(env) : join(PROJECT_ROOT, "data", "cache");
}

/** True when `path` exists. */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
