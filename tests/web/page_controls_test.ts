/**
 * The browser writer's controls in chromium (playwright-core), against the
 * project's static server (its Content-Security-Policy must hold): inputs
 * clamped and said, empty text said, descenders kept, only new strokes drawn,
 * lines chained to the first line's hand (the library's primed line), styles
 * capped, deleted and read without freezing the tab, and a phone's controls
 * and pad. Skipped (visibly) without chromium; CI runs it.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { loadWriter } from "../../lib/experiments/write.ts";
import { assertClose, useProjectBackend } from "../helpers/tf.ts";
import { CHROMIUM, g, have, libraryLine, openWriterPage, required } from "../helpers/page.ts";

Deno.test({
  name:
    "web page: inputs clamped and said, lines chained, styles capped and deleted, Stop while priming, a phone",
  ignore: !have && !required,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    assert.ok(have, `no browser at ${CHROMIUM}: apt install chromium (or set GRAVES_CHROMIUM)`);
    const { page, browser, server, errors, close } = await openWriterPage();
    try {
      await t.step(
        "inputs clamped and said, empty text said, descenders inside the page, only new strokes drawn",
        async () => {
          await page.fill("#text", "   ");
          await page.evaluate(() => g().write());
          assert.match(await page.textContent("#status") ?? "", /Nothing to write/);
          await page.selectOption("#style", "");
          await page.fill("#text", "jumpy gq\nfoggy days");
          await page.fill("#ink-width", "-1");
          await page.dispatchEvent("#ink-width", "change");
          assert.equal(await page.inputValue("#ink-width"), "0.1");
          assert.match(await page.textContent("#input-note") ?? "", /Ink width -1 → 0\.1/);
          await page.fill("#seed", "0");
          await page.fill("#width", "500");
          await page.evaluate(() => g().write());
          assert.equal(await page.inputValue("#seed"), "0", "seed 0 is a seed");
          assert.equal(await page.inputValue("#width"), "80");
          assert.match(
            await page.textContent("#input-note") ?? "",
            /Line width 500 → 80 \(10 to 80, whole\)/,
          );
          const fit = await page.evaluate(() => {
            // deno-lint-ignore no-explicit-any
            const d = (globalThis as any).document, svg = d.getElementById("page");
            const vb = svg.viewBox.baseVal, b = d.getElementById("lines").getBBox();
            const widths = [...d.querySelectorAll("#page path")].map((p) =>
              Number(p.getAttribute("stroke-width"))
            );
            const s = g().state;
            return {
              inside: b.y >= vb.y && b.y + b.height <= vb.y + vb.height && b.x >= vb.x &&
                b.x + b.width <= vb.x + vb.width,
              box: [b.y, b.y + b.height, vb.y, vb.y + vb.height],
              widths: [Math.min(...widths), Math.max(...widths)],
              strokes: s.strokes.length as number,
              drawn: s.pathsDrawn as number,
              updates: s.updates as number,
              lines: s.lines.length as number,
            };
          });
          assert.equal(fit.lines, 2);
          assert.ok(
            fit.inside,
            `the ink (y ${fit.box[0]}..${fit.box[1]}) inside the page (${fit.box[2]}..${fit.box[3]})`,
          );
          assert.ok(fit.widths[0] > 0, `stroke widths ${fit.widths}`);
          assert.ok(fit.updates > 5, `${fit.updates} batches drawn`);
          // each batch redraws the line's last (growing) stroke and adds the new ones, never the whole page
          assert.ok(fit.drawn <= fit.strokes + fit.updates, `${fit.drawn} paths for ${fit.strokes} strokes`);
          await page.fill("#ink-width", "50");
          await page.dispatchEvent("#ink-width", "change");
          assert.equal(await page.inputValue("#ink-width"), "2");
          const widest = await page.evaluate(() =>
            // deno-lint-ignore no-explicit-any
            Math.max(...[...(globalThis as any).document.querySelectorAll("#page path")].map((p: any) =>
              Number(p.getAttribute("stroke-width"))
            ))
          );
          assert.ok(
            Math.abs(widest - (2 * 1.3 * 578) / 10) < 1,
            `stroke-width ${widest} for 2 mm (lines 10 mm apart)`,
          );
        },
      );

      await t.step(
        "lines without a style are chained: line 2 is the library's line primed by line 1",
        async () => {
          // the step above wrote "jumpy gq" / "foggy days" with seed 0: line 2 has seed 1, primed by line 1
          const [l1, l2] = await page.evaluate(() =>
            g().state.lines.map((l: { points: Float32Array }) => Array.from(l.points))
          ) as number[][];
          await useProjectBackend();
          const w = await loadWriter();
          const [sx, sy] = w.stats.std, [mx, my] = w.stats.mean;
          const points = new Float32Array(l1.length + 3);
          for (let i = 0; i < l1.length; i += 3) {
            points.set([(l1[i] - mx) / sx, (l1[i + 1] - my) / sy, l1[i + 2]], i + 3);
          }
          const lib = await libraryLine("foggy days", { points, n: l1.length / 3 + 1, text: "jumpy gq" });
          assert.equal(l2.length, lib.points.length, "same number of points");
          assertClose(l2, lib.points, { atol: 0.05, rtol: 1e-3, what: "chained line 2: page vs library" });
        },
      );

      await t.step(
        "styles: a big one is refused with its size, priming yields (Stop works), styles delete",
        async () => {
          const big = (n: number) =>
            JSON.stringify({
              format: "graves-style",
              version: 1,
              text: "a long style",
              strokes: [{
                x: Array.from({ length: n }, (_, i) => i * 18),
                y: Array.from({ length: n }, (_, i) => 100 * Math.sin(i / 5)),
              }],
            });
          await page.setInputFiles("#style-import", {
            name: "huge.json",
            mimeType: "application/json",
            buffer: Buffer.from(big(12_000)),
          });
          await page.locator("#pad-message", { hasText: /Not imported/ }).waitFor(); // read asynchronously
          assert.match(
            await page.textContent("#pad-message") ?? "",
            /Not imported: .*12,000 pen points; a style holds at most 10,000/,
          );
          await page.setInputFiles("#style-import", {
            name: "long.json",
            mimeType: "application/json",
            buffer: Buffer.from(big(9_000)),
          });
          await page.locator("#pad-message", { hasText: /^Imported/ }).waitFor();
          assert.match(await page.textContent("#pad-message") ?? "", /Imported “long.json”/);
          await page.fill("#text", "stop me");
          const t0 = Date.now();
          await page.evaluate(() => {
            g().write();
            // deno-lint-ignore no-explicit-any
            setTimeout(() => (globalThis as any).document.getElementById("stop").click(), 300);
          });
          await page.waitForFunction(
            () => !g().state.writing,
            undefined,
            { timeout: 20_000 },
          );
          const took = Date.now() - t0;
          assert.ok(
            took < 5000,
            `stopped ${took} ms after starting a 9,000-point prime (the tab kept answering)`,
          );
          await page.click("#style-delete");
          assert.match(await page.textContent("#pad-message") ?? "", /Deleted “long”/);
          const names = await page.evaluate(() =>
            Object.keys(JSON.parse(localStorage.getItem("graves-styles")!))
          );
          assert.ok(!names.includes("long"), names.join(", "));
        },
      );

      await t.step("on a phone (375 × 667, touch): every button at least 44 px tall", async () => {
        const phone = await browser.newPage({
          viewport: { width: 375, height: 667 },
          hasTouch: true,
          isMobile: true,
        });
        await phone.goto(`http://127.0.0.1:${server.port}/`);
        const heights = await phone.evaluate(() =>
          // deno-lint-ignore no-explicit-any
          [...(globalThis as any).document.querySelectorAll("button, select")].map((b: any) => [
            b.id || b.tagName,
            b.getBoundingClientRect().height,
          ])
        );
        for (const [id, h] of heights) assert.ok(h >= 44, `${id}: ${h} px`);
        // the pad's bands are drawn on the canvas (no CSS stripes that fall elsewhere), and a word written
        // within the first band as displayed (tall letters reaching up, small ones low) stays one line
        const pad = await phone.evaluate(() => {
          // deno-lint-ignore no-explicit-any
          const d = (globalThis as any).document, c = d.getElementById("pad");
          const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          const inked = (y: number) => px[4 * (y * c.width + 10) + 3] > 0; // a rule at canvas row y, column 10
          return {
            background: d.defaultView.getComputedStyle(c).backgroundImage,
            rules: [c.height / 3, (2 * c.height) / 3].map((y) => inked(Math.floor(y))),
            width: c.width,
            height: c.height,
          };
        });
        assert.equal(pad.background, "none");
        assert.deepEqual(pad.rules, [true, true]);
        await phone.locator("#pad").scrollIntoViewIfNeeded();
        const band = pad.height / 3;
        const word = [ // "hello" as five strokes in canvas px, all inside band 1
          [[20, 0.1], [20, 0.9], [20, 0.6], [40, 0.5], [45, 0.9]],
          [[60, 0.7], [80, 0.7], [70, 0.5], [58, 0.75], [80, 0.9]],
          [[95, 0.1], [95, 0.9]],
          [[110, 0.08], [110, 0.9]],
          [[130, 0.6], [145, 0.55], [150, 0.8], [135, 0.9], [128, 0.7]],
        ].map((s) => s.map(([x, f]) => [x, f * band]));
        await phone.evaluate((strokes: number[][][]) => {
          // deno-lint-ignore no-explicit-any
          const d = (globalThis as any).document, c = d.getElementById("pad"), r = c.getBoundingClientRect();
          // deno-lint-ignore no-explicit-any
          const Pointer = (globalThis as any).PointerEvent;
          const fire = (type: string, [x, y]: number[]) =>
            c.dispatchEvent(
              new Pointer(type, {
                clientX: r.left + (x * r.width) / c.width,
                clientY: r.top + (y * r.height) / c.height,
                pointerId: 3,
                bubbles: true,
              }),
            );
          for (const s of strokes) {
            fire("pointerdown", s[0]);
            for (const p of s.slice(1)) fire("pointermove", p);
            fire("pointerup", s.at(-1)!);
          }
        }, word);
        await phone.fill("#pad-text", "hello");
        await phone.click("#pad-save");
        const saved = await phone.evaluate(() => {
          const all = JSON.parse(localStorage.getItem("graves-styles")!);
          const s = all[Object.keys(all).at(-1)!];
          return s.strokes.map((k: { x: number[] }) => [Math.min(...k.x), Math.max(...k.x)]);
        }) as number[][];
        // one line keeps the strokes in writing order: h, e, l, l, o (the l's are upright: no width); a split
        // sets the strokes of another row after the first row's, and the order changes
        const upright = saved.map(([a, b]) => b - a < 1e-6);
        assert.deepEqual(
          upright,
          [false, false, true, true, false],
          `strokes' x extents ${JSON.stringify(saved)}`,
        );
        await phone.close();
      });
      assert.deepEqual(errors, [], "no errors in the page");
    } finally {
      await close();
    }
  },
});
