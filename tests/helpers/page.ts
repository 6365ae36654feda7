/**
 * What the browser tests share: where chromium is, whether it must run, the
 * page opened and ready, and the library's line for the page's settings (to
 * compare the page's points with).
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { buildWeb } from "../../lib/web/build.ts";
import { WRITES } from "../../lib/experiments/registry.ts";
import { serveFolder } from "../../lib/web/static_server.ts";
import { encodeText } from "../../lib/data/iamondb/charset.ts";
import { denormalise } from "../../lib/data/iamondb/offsets.ts";
import { loadWriter } from "../../lib/experiments/write.ts";
import { sampleSynthesis } from "../../lib/models/synthesis_sample.ts";
import { Rng } from "../../lib/util/rng.ts";
import { exists } from "../../lib/util/paths.ts";
import { useProjectBackend } from "./tf.ts";

/** Debian's chromium, or `GRAVES_CHROMIUM`. */
export const CHROMIUM = Deno.env.get("GRAVES_CHROMIUM") ?? "/usr/bin/chromium";
/** CI sets `GRAVES_REQUIRE_BROWSER=1`: the browser tests must run there. */
export const required = Deno.env.get("GRAVES_REQUIRE_BROWSER") === "1";
export const have = exists(CHROMIUM);
if (!have && !required) console.log(`tests/web: skipped, no browser at ${CHROMIUM} (apt install chromium)`);

/** The page's defaults (index.html): bias, and the seed of line 1 (line i has seed + i). */
export const PAGE_BIAS = 0.75, SEED = 1;

/** The library's line for the page's settings (writeLine: σ-only bias, 150 finishing points), in tablet units. */
export async function libraryLine(text: string, prime?: { points: Float32Array; n: number; text: string }) {
  await useProjectBackend();
  const w = await loadWriter();
  const full = prime ? `${prime.text} ${text}` : text;
  const r = sampleSynthesis(w.params, w.config, encodeText(full, w.charset), new Rng(SEED), {
    bias: PAGE_BIAS,
    maxSteps: 40 * text.length,
    prime: prime?.points.subarray(0, 3 * prime.n),
    finishStroke: 150,
    biasWeights: false,
  });
  return { points: denormalise(r.points, w.stats, false), stats: w.stats, finished: r.finished };
}

/** The page's state (`window.graves`); inside `page.evaluate` the same `g` is the page's own global. */
// deno-lint-ignore no-explicit-any
export const g = () => (globalThis as any).graves;

/**
 * The browser writer built into a temporary folder, served by the project's
 * server, open in chromium and ready (the network loaded, on a tfjs backend,
 * sampling with sample.wasm where it was built). `errors` collects page errors
 * and Content-Security-Policy refusals (the server's policy must hold).
 */
export async function openWriterPage() {
  const built = await buildWeb(await Deno.makeTempDir({ prefix: "graves-web-" }), WRITES.shipped);
  const server = serveFolder({ dir: built.out, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const page = await browser.newPage({ acceptDownloads: true });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) errors.push(m.text());
    });
    await page.goto(`http://127.0.0.1:${server.port}/`);
    // deno-lint-ignore no-explicit-any
    await page.evaluate(() => (globalThis as any).g = () => (globalThis as any).graves);
    const info = await page.evaluate(() => g().ready);
    assert.ok(["wasm", "webgl", "cpu"].includes(info.backend), info.backend);
    assert.match(info.label, /epochs/);
    const sampler = await page.evaluate(() => g().state.sampler);
    if (built.sampler.startsWith("sample.wasm")) {
      assert.equal(sampler, "wasm", "sample.wasm built but not used");
    }
    return { page, browser, server, errors, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Draws `strokes` (canvas px, y down) on the page's pad as a person would:
 * pointerdown, pointermove at each point, pointerup, in the pad's displayed
 * coordinates. Returns the number of events fired.
 */
// deno-lint-ignore no-explicit-any
export async function drawOnPad(page: any, strokes: number[][][], pointerId = 7): Promise<number> {
  await page.locator("#pad").scrollIntoViewIfNeeded();
  return await page.evaluate(([rows, id]: [number[][][], number]) => {
    // deno-lint-ignore no-explicit-any
    const d = (globalThis as any).document, pad = d.getElementById("pad"), r = pad.getBoundingClientRect();
    const fire = (type: string, [x, y]: number[]) =>
      pad.dispatchEvent(
        // deno-lint-ignore no-explicit-any
        new (globalThis as any).PointerEvent(type, {
          clientX: r.left + (x * r.width) / pad.width,
          clientY: r.top + (y * r.height) / pad.height,
          pointerId: id,
          bubbles: true,
        }),
      );
    let n = 0;
    for (const stroke of rows) {
      fire("pointerdown", stroke[0]);
      for (const p of stroke.slice(1)) fire("pointermove", p);
      fire("pointerup", stroke.at(-1)!);
      n += stroke.length + 1;
    }
    return n;
  }, [strokes, pointerId]);
}
