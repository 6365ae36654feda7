/**
 * Your own hand in the page, as the CLI writes it (`--hand adapt`): a line
 * drawn in a Hershey face (print nobody trained on) imported as a style; the
 * page adapts a copy of the network to it in a few gradient steps, yielding
 * between them, and writes legibly in it. Skipped (visibly) without chromium;
 * CI runs it. `GRAVES_WEB_SCREENSHOT=1` saves the page to `results/web/`.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { HERSHEY_DIR, hersheyLine, loadHershey } from "../../lib/data/hershey.ts";
import { styleFromDrawing } from "../../lib/data/iamondb/style.ts";
import { slant } from "../../lib/experiments/adapt.ts";
import { join } from "node:path";
import { exists, PROJECT_ROOT } from "../../lib/util/paths.ts";
import { CHROMIUM, g, have, openWriterPage, required } from "../helpers/page.ts";

Deno.test({
  name: "web page: a drawn style adapts the network in steps (the tab answers), then writes at its slant",
  ignore: (!have || !exists(`${HERSHEY_DIR}/scripts.jhf`)) && !required,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    assert.ok(have, `no browser at ${CHROMIUM}: apt install chromium (or set GRAVES_CHROMIUM)`);
    const { page, errors, close } = await openWriterPage();
    try {
      // a right-leaning cursive line, as a person might draw it: the style path turns it into what the network reads
      const drawn = hersheyLine(loadHershey("scripts"), "a quick fox").map((s) => ({
        x: s.x.map((v) => 3 * v),
        y: s.y.map((v) => 3 * v),
      }));
      const style = styleFromDrawing([drawn], "a quick fox");
      await page.setInputFiles("#style-import", {
        name: "cursive.json",
        mimeType: "application/json",
        buffer: Buffer.from(JSON.stringify(style)),
      });
      await page.locator("#pad-message", { hasText: /^Imported/ }).waitFor();
      assert.equal(await page.inputValue("#hand"), "adapt", "adapting is the default");
      await page.fill("#text", "hello there");
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
