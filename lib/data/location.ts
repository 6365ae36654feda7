/**
 * Where datasets live: `GRAVES_DATA` (default: the project's `data/` folder),
 * holding `ptb/`, `enwik8/` and `iamondb/` as described in `data/README.md`.
 * Caches the project builds go to `GRAVES_CACHE` (default `data/cache/`).
 * @module
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root folder (where deno.json is). */
export const PROJECT_ROOT: string = resolve(fileURLToPath(new URL("../../", import.meta.url)));

/** The dataset folder: `GRAVES_DATA`, relative paths taken from the working directory. */
export function dataRoot(): string {
  const env = Deno.env.get("GRAVES_DATA");
  return env ? resolve(env) : join(PROJECT_ROOT, "data");
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
