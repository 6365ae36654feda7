/**
 * Notebooks as `deno fmt` formats them. `deno fmt --check` on an `.ipynb`
 * reports it unformatted even right after `deno fmt` wrote it (Deno 2.9.6,
 * with a fresh cache, as on CI), so notebooks are excluded from the project's
 * `fmt` and formatted through stdin (`deno fmt --ext=ipynb -`), which gives
 * the same bytes `deno fmt` writes and can be compared.
 * @module
 */
import { formatText } from "../util/format.ts";

/** `path` formatted as `deno fmt` formats notebooks (with the project's settings). */
export async function formattedNotebook(path: string): Promise<string> {
  return await formatText(await Deno.readTextFile(path), "ipynb");
}

/** Formats the notebook at `path` in place. */
export async function formatNotebook(path: string): Promise<void> {
  await Deno.writeTextFile(path, await formattedNotebook(path));
}

/** The notebooks of `paths` that `deno fmt` would change. */
export async function unformattedNotebooks(paths: string[]): Promise<string[]> {
  const bad: string[] = [];
  for (const p of paths) {
    const text = await Deno.readTextFile(p); // read once, formatted and compared
    if (await formatText(text, "ipynb") !== text) bad.push(p);
  }
  return bad;
}
