/**
 * The README's headline table and `results/README.md` are generated from the result files by
 * `deno task results`, never typed: this fails when the committed ones differ from what it writes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import {
  HEADLINE_END,
  HEADLINE_START,
  headlineMarkdown,
  headlineRows,
  withHeadline,
} from "../../lib/report/headline.ts";
import { resultsIndex } from "../../lib/report/results_index.ts";
import { EXPERIMENTS } from "../../lib/experiments/registry.ts";

const GALLERY = Object.values(EXPERIMENTS).flatMap((e) => e.gallery ?? []);
const FILES = Object.values(EXPERIMENTS).flatMap((e) => e.files ?? []);
import { LABEL_MAX } from "../../lib/util/text.ts";
import { formatText } from "../../lib/util/format.ts";

Deno.test("results: README's headline table is exactly what deno task results writes from results/", async () => {
  const readme = Deno.readTextFileSync(join(PROJECT_ROOT, "README.md"));
  assert.equal(
    readme,
    await formatText(withHeadline(readme, headlineMarkdown(headlineRows(Object.values(EXPERIMENTS)))), "md"),
    "run deno task results",
  );
  const rows = headlineRows(Object.values(EXPERIMENTS));
  assert.deepEqual(rows.map((r) => r.experiment), [
    "PTB characters (Table 1)",
    "PTB words (Table 1)",
    "PTB words, weight noise",
    "Wikipedia bytes (Table 2)",
    "Handwriting prediction (Table 3)",
    "Handwriting prediction, adaptive weight noise (Table 3)",
    "Handwriting synthesis (Table 4)",
    "Handwriting synthesis, adaptive weight noise (Table 4)",
  ]);
  for (const r of rows) {
    for (const cell of Object.values(r).filter((v) => typeof v === "string")) {
      assert.ok((cell as string).length <= LABEL_MAX, cell as string);
    }
  }
  assert.ok(readme.indexOf(HEADLINE_START) < 4000, "the headline table is on the first screen");
  assert.ok(new TextEncoder().encode(readme).length <= 20_000, "README.md at most 20 KB");
});

Deno.test("results: results/README.md lists every file with the command that regenerates it", async () => {
  const index = Deno.readTextFileSync(join(PROJECT_ROOT, "results", "README.md"));
  assert.equal(index, await formatText(resultsIndex(GALLERY, FILES), "md"), "run deno task results");
  assert.doesNotMatch(resultsIndex(GALLERY, FILES), /\(no description\)/);
});

Deno.test("results: withHeadline needs the markers and replaces only what is between them", () => {
  const md = `a\n${HEADLINE_START}\nold\n${HEADLINE_END}\nb`;
  assert.equal(withHeadline(md, "new"), `a\n${HEADLINE_START}\nnew\n${HEADLINE_END}\nb`);
  assert.throws(() => withHeadline("no markers", "x"), /no <!-- results:start/);
});
