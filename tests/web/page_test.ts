/**
 * The browser writer in a real browser: Debian's chromium driven by
 * playwright-core. The page is built (`buildWeb`) and served from this
 * process; its numbers are compared with the library's sampler on the same
 * shipped checkpoint. Skipped (visibly) without chromium; CI sets
 * `GRAVES_REQUIRE_BROWSER=1` so that it always runs there.
 * `GRAVES_WEB_SCREENSHOT=1` also saves the written page to `results/web/`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { denormalise, offsetsToStrokes } from "../../lib/data/iamondb/offsets.ts";
import { prepareIam } from "../../lib/experiments/iam.ts";
import { parseStyle, primeFromStyle } from "../../lib/data/iamondb/style.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import { assertClose } from "../helpers/tf.ts";
import { CHROMIUM, drawOnPad, g, have, libraryLine, openWriterPage, required } from "../helpers/page.ts";

Deno.test({
  name:
    "web page: loads the checkpoint, writes as the library does, primes from drawn strokes, downloads SVG",
  ignore: !have && !required,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    assert.ok(have, `no browser at ${CHROMIUM}: apt install chromium (or set GRAVES_CHROMIUM)`);
    const { page, errors, close } = await openWriterPage();
    try {
      await t.step("unknown characters are shown before writing", async () => {
        await page.fill("#text", "naïve café");
        assert.match(await page.textContent("#unknown") ?? "", /“ï”.*“é”/);
        await page.fill("#text", "call 020 at 3:45");
        assert.equal(await page.textContent("#unknown") ?? "", "", "the writer has digits: nothing to say");
        await page.fill("#text", "meet on 6/12 & 6/13");
        assert.match(
          await page.textContent("#unknown") ?? "",
          /writes \/ & as its one mark for every other symbol/,
          "rare marks said before writing",
        );
      });

      await t.step(
        "writing a phrase: sane strokes, the library's points for the same seed and bias",
        async () => {
          await page.fill("#text", "hello world");
          await page.evaluate(() => g().write());
          const line = await page.evaluate(() => {
            const l = g().state.lines[0];
            return {
              points: Array.from(l.points as Float32Array),
              finished: l.finished,
              strokes: g().state.strokes.length,
            };
          });
          const lib = await libraryLine("hello world");
          assert.ok(line.finished && lib.finished, "the stopping rule fired in both");
          assert.equal(line.points.length, lib.points.length, "same number of points");
          assertClose(line.points, lib.points, {
            atol: 0.05,
            rtol: 1e-3,
            what: "page vs library (tablet units)",
          });
          const n = line.points.length / 3;
          let x = 0, y0 = 0, y1 = 0, y = 0;
          for (let i = 0; i < n; i++) {
            x += line.points[3 * i], y += line.points[3 * i + 1];
            y0 = Math.min(y0, y), y1 = Math.max(y1, y);
          }
          assert.ok(n > 100 && n < 440, `${n} points for 11 characters`);
          assert.ok(line.strokes >= 4 && line.strokes < 60, `${line.strokes} strokes`);
          assert.ok(x > 1000 && x < 6000 && y1 - y0 < 1500, `extent ${x} × ${y1 - y0} tablet units`);
          if (Deno.env.get("GRAVES_WEB_SCREENSHOT") === "1") {
            const dir = join(PROJECT_ROOT, "results", "web");
            await Deno.mkdir(dir, { recursive: true });
            await page.locator("#page").screenshot({ path: join(dir, "hello_world.png") });
          }
        },
      );

      await t.step("the SVG download: well-formed, one stroke-only path per pen stroke, in mm", async () => {
        const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-svg")]);
        const svg = await Deno.readTextFile(await download.path());
        const check = await page.evaluate((text: string) => {
          // deno-lint-ignore no-explicit-any
          const doc = new (globalThis as any).DOMParser().parseFromString(text, "image/svg+xml");
          const paths: { getAttribute(k: string): string | null }[] = [...doc.querySelectorAll("path")];
          return {
            error: doc.querySelector("parsererror")?.textContent ?? "",
            width: doc.documentElement.getAttribute("width"),
            paths: paths.length,
            fills: paths.filter((p) => p.getAttribute("fill") !== "none").length,
          };
        }, svg);
        assert.equal(check.error, "");
        assert.match(check.width ?? "", /^[\d.]+mm$/);
        assert.equal(check.paths, await page.evaluate(() => g().state.strokes.length));
        assert.equal(check.fills, 0);
      });

      await t.step(
        "priming with real lines drawn by pointer events: another style, the library's primed sampling",
        async () => {
          // two IAM-OnDB validation lines, written on the pad's first two rows by pointer events (never shipped)
          const data = await prepareIam();
          const lines = [41, 42].map((k) => ({
            text: data.split.valid[k].text,
            strokes: offsetsToStrokes(denormalise(data.valid[k].points, data.stats), data.valid[k].n),
          }));
          const drawn = lines.map((l, row) => {
            const xs = l.strokes.flatMap((s) => s.x), ys = l.strokes.flatMap((s) => s.y);
            const [x0, x1, y1] = [Math.min(...xs), Math.max(...xs), Math.max(...ys)];
            const scale = 860 / (x1 - x0); // the line across the 900-px pad, y down, in its row
            return l.strokes.map((s) =>
              s.x.map((x, i) => [20 + (x - x0) * scale, 100 * row + 15 + (y1 - s.y[i]) * scale])
            );
          });
          const events = await drawOnPad(page, drawn.flat(), 7);
          assert.ok(events > 500, `${events} pointer events`);
          await page.fill("#pad-text", lines.map((l) => l.text).join(" "));
          await page.fill("#style-name", "iam-like");
          await page.click("#pad-save");
          const strokes = drawn.flat().length;
          assert.match(
            await page.textContent("#pad-message") ?? "",
            new RegExp(`Saved “iam-like”: ${strokes} strokes`),
          );
          const plain = await page.evaluate(() => Array.from(g().state.lines[0].points as Float32Array));
          await page.selectOption("#hand", "prime"); // the paper's priming, compared point for point with the library's
          await page.evaluate(() => g().write());
          const primed = await page.evaluate(() => Array.from(g().state.lines[0].points as Float32Array));
          assert.notDeepEqual(primed.slice(0, 60), plain.slice(0, 60), "the style changes the writing");
          const saved = await page.evaluate(() =>
            JSON.stringify(JSON.parse(localStorage.getItem("graves-styles")!)["iam-like"])
          );
          const lib = await libraryLine("hello world", primeFromStyle(parseStyle(saved), data.stats));
          assert.equal(primed.length, lib.points.length, "same number of points");
          assertClose(primed, lib.points, { atol: 0.05, rtol: 1e-3, what: "primed: page vs library" });
          if (Deno.env.get("GRAVES_WEB_SCREENSHOT") === "1") {
            await page.locator("#page").scrollIntoViewIfNeeded();
            await page.locator("#page").screenshot({
              path: join(PROJECT_ROOT, "results", "web", "primed_hello_world.png"),
            });
          }
        },
      );
      assert.deepEqual(errors, [], "no errors in the page");
    } finally {
      await close();
    }
  },
});
