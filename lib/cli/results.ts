import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
/**
 * `deno task results [--check]`: writes the README's headline table (between
 * its markers) and `results/README.md` from the result files; `--check`
 * writes nothing and fails when either differs from what it would write.
 * @module
 */
import { join } from "node:path";
import { PROJECT_ROOT } from "../util/paths.ts";
import { headlineMarkdown, headlineRows, withHeadline } from "../report/headline.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { resultsIndex } from "../report/results_index.ts";
import { formatText } from "../util/format.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

const check = Deno.args.includes("--check");
const readmePath = join(PROJECT_ROOT, "README.md"), indexPath = join(PROJECT_ROOT, "results", "README.md");
const readme = Deno.readTextFileSync(readmePath);
// as deno fmt writes them, so that formatting the project leaves them as they are
const wanted = {
  [readmePath]: await formatText(
    withHeadline(readme, headlineMarkdown(headlineRows(Object.values(EXPERIMENTS)))),
    "md",
  ),
  [indexPath]: await formatText(
    resultsIndex(
      Object.values(EXPERIMENTS).flatMap((e) => e.gallery ?? []),
      Object.values(EXPERIMENTS).flatMap((e) => e.files ?? []),
    ),
    "md",
  ),
};
let stale = 0;
for (const [path, text] of Object.entries(wanted)) {
  const now = (() => {
    try {
      return Deno.readTextFileSync(path);
    } catch {
      return "";
    }
  })();
  if (now === text) continue;
  if (check) {
    console.error(`${path.slice(PROJECT_ROOT.length + 1)} differs from what deno task results writes`);
    stale++;
  } else {
    Deno.writeTextFileSync(path, text);
    console.log(`wrote ${path.slice(PROJECT_ROOT.length + 1)}`);
  }
}
if (stale) Deno.exit(1);
