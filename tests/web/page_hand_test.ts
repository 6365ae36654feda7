/**
 * Your own hand in the page: a line drawn in a Hershey face (cursive nobody
 * trained on) on the pad by pointer events and saved as a style; primed with
 * it, the page writes exactly the library's points; adapting to it (the
 * default, the CLI's `--hand adapt`), the page takes a few gradient steps,
 * yielding between them, and writes at the drawing's slant. Skipped (visibly) without chromium;
 * CI runs it. `GRAVES_WEB_SCREENSHOT=1` saves the page to `results/web/`.
 */
import assert from "node:assert/strict";
import { HERSHEY_DIR, hersheyLine, loadHershey } from "../../lib/data/hershey.ts";
import { parseStyle, primeFromStyle } from "../../lib/data/iamondb/style.ts";
import { loadWriter } from "../../lib/experiments/write.ts";
import { assertClose, useProjectBackend } from "../helpers/tf.ts";
import { slant } from "../../lib/experiments/adapt.ts";
import { join } from "node:path";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";
import { CHROMIUM, drawOnPad, g, have, libraryLine, openWriterPage, required } from "../helpers/page.ts";

Deno.test({
  name: "web page: a drawn style adapts the network in steps (the tab answers), then writes at its slant",
  ignore: (!have || !exists(`${HERSHEY_DIR}/scripts.jhf`)) && !required,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    assert.ok(have, `no browser at ${CHROMIUM}: apt install chromium (or set GRAVES_CHROMIUM)`);
    await useProjectBackend();
    const { page, errors, close } = await openWriterPage();
    try {
      // a right-leaning cursive line drawn on the pad's first band by pointer events, as a person would
      const line = hersheyLine(loadHershey("scripts"), "a quick fox");
      const xs = line.flatMap((s) => s.x), ys = line.flatMap((s) => s.y);
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const k = Math.min(600 / (x1 - x0), 70 / (y1 - y0)); // about 600 × 70 canvas px, inside band 1 (100 px)
      const drawn = line.map((s) => s.x.map((x, i) => [20 + (x - x0) * k, 15 + (s.y[i] - y0) * k]));
      const events = await drawOnPad(page, drawn, 9);
      assert.ok(events > 100, `${events} pointer events`);
      await page.fill("#pad-text", "a quick fox");
      await page.fill("#style-name", "cursive");
      await page.click("#pad-save");
      assert.match(await page.textContent("#pad-message") ?? "", /Saved “cursive”/);
      const style = parseStyle(
        await page.evaluate(() =>
          JSON.stringify(JSON.parse(localStorage.getItem("graves-styles")!)["cursive"])
        ),
      );
      // primed (the paper's way): the page's points are the library's for the same style, seed and bias
      await page.fill("#text", "hello world");
      await page.selectOption("#hand", "prime");
      await page.evaluate(() => g().write());
      const primed = await page.evaluate(() => Array.from(g().state.lines[0].points as Float32Array));
      const lib = await libraryLine("hello world", primeFromStyle(style, (await loadWriter()).stats));
      assert.equal(primed.length, lib.points.length, "same number of points");
      assertClose(primed, lib.points, { atol: 0.05, rtol: 1e-3, what: "primed: page vs library" });
      await page.selectOption("#hand", "adapt");
      await page.fill("#text", "hello there");
      assert.equal(
        await page.getAttribute("#hand option:first-child", "value"),
        "adapt",
        "adapting is the default",
      );
      const t0 = Date.now();
      await page.evaluate(() => void g().write());
      // the status says each step while it adapts: the page draws between steps
      await page.locator("#status", { hasText: /Adapting the network to your hand: step \d of 5/ }).waitFor({
        timeout: 60_000,
      });
      await page.waitForFunction(() => !g().state.writing, undefined, { timeout: 300_000 });
      const s = await page.evaluate(() => ({
        adapted: g().state.adapted as number[],
        lines: g().state.lines.length as number,
        finished: g().state.lines[0]?.finished as boolean,
        strokes: g().state.strokes as { x: number[]; y: number[] }[],
      }));
      console.log(
        `adapted and wrote in ${((Date.now() - t0) / 1000).toFixed(1)} s; losses ${
          s.adapted.map((l) => l.toFixed(0)).join(" ")
        }`,
      );
      assert.equal(s.adapted.length, 5, "five steps");
      assert.ok(s.adapted[4] < s.adapted[0], `the loss on the drawn line falls: ${s.adapted.join(", ")}`);
      assert.equal(s.lines, 1);
      assert.ok(s.finished, "the line was finished");
      const gap = Math.abs(slant(s.strokes) - slant(style.strokes));
      assert.ok(
        gap < 0.06,
        `written at the drawing's slant (within 3° and the measure's slop): off by ${gap}`,
      );
      assert.deepEqual(errors, []);
      if (Deno.env.get("GRAVES_WEB_SCREENSHOT") === "1") {
        await page.locator("#page").screenshot({
          path: join(PROJECT_ROOT, "results", "web", "adapted_hello_there.png"),
        });
      }
    } finally {
      await close();
    }
  },
});
