/**
 * `deno task reproduce [names...] [--profile quick|paper]`: locates and
 * verifies the datasets (`deno task data`), then executes the notebooks
 * (`deno task notebooks`, all of them by default), which write `results/`
 * and save their outputs. The profile comes from `--profile` or
 * `GRAVES_PROFILE` (default quick: about five minutes on two CPU cores).
 * On a clean checkout with the shipped checkpoints, nothing tracked changes
 * unless a result does: numbers are stored at the precision that means
 * something, and a result whose numbers did not change is not rewritten.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { join } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

const run = async (script: string, args: string[]) => {
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "lib", "cli", script), ...args],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) Deno.exit(code);
};
await run("data.ts", []);
await run("notebooks.ts", Deno.args);
