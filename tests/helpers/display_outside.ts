/** Calls every display helper under `deno run` (outside the Jupyter kernel), for `tests/report/display_test.ts`. */
import * as pl from "nodejs-polars";
import { show, stack } from "../../lib/plots/render.ts";
import { handwriting } from "../../lib/plots/figures.ts";
import { showTable } from "../../lib/report/table.ts";
import { showHtml } from "../../lib/report/text_html.ts";
import { notebookProgress } from "../../lib/train/progress.ts";
import { jupyter } from "../../lib/util/jupyter.ts";

console.log(`kernel: ${jupyter() === undefined ? "none" : "found"}`);
await show(stack([handwriting([{ strokes: [{ x: [0, 1], y: [0, 1] }], label: "a" }])]));
await showTable(pl.DataFrame({ a: [1, 2] }), "a table");
await showHtml("<b>html</b>", "plain text");
notebookProgress("chars", 0)({
  step: 1,
  totalSteps: 1,
  loss: 1,
  smoothLoss: 1,
  symbolsPerSec: 10,
  epochs: 0.1,
  elapsedSec: 1,
  skipped: 0,
});
console.log("\ndone");
