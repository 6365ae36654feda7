/**
 * The browser writer's speed, for `deno task bench`: the page built and
 * served here, Debian's chromium (headless, through playwright-core) writing
 * a 40-character line several times; seconds per line as the page measures
 * them (its own clock around the sampling loop, drawing included).
 * @module
 */
import { chromium } from "playwright-core";
import { exists } from "../util/paths.ts";
import { buildWeb } from "./build.ts";
import { serveFolder } from "./static_server.ts";

/** The line the bench writes: 40 characters. */
export const BENCH_LINE = "a quick movement of the enemy will jeopa";

/** Seconds per 40-character line in the page writing with `checkpoint` (median of `reps`), its points, and what sampled. */
export async function benchBrowser(
  checkpoint: string,
  reps = 3,
  chromiumPath = Deno.env.get("GRAVES_CHROMIUM") ?? "/usr/bin/chromium",
) {
  if (!exists(chromiumPath)) throw new Error(`no browser at ${chromiumPath} (apt install chromium)`);
  const built = await buildWeb(await Deno.makeTempDir({ prefix: "graves-web-bench-" }), checkpoint);
  const server = serveFolder({ dir: built.out, port: 0 });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    // deno-lint-ignore no-explicit-any
    const info = await page.evaluate(() => (globalThis as any).graves.ready);
    const runs: { seconds: number; points: number }[] = [];
    for (let r = 0; r < reps; r++) {
      await page.fill("#text", BENCH_LINE);
      await page.fill("#seed", String(r + 1));
      runs.push(
        await page.evaluate(async () => {
          // deno-lint-ignore no-explicit-any
          const g = (globalThis as any).graves;
          await g.write();
          return { seconds: g.state.lines[0].seconds, points: g.state.lines[0].steps };
        }),
      );
    }
    runs.sort((a, b) => a.seconds - b.seconds);
    const mid = runs[runs.length >> 1];
    // deno-lint-ignore no-explicit-any
    const sampler = await page.evaluate(() => (globalThis as any).graves.state.sampler);
    return { ...mid, sampler: sampler === "wasm" ? "chromium-wasm-sample" : `chromium-tfjs-${info.backend}` };
  } finally {
    await browser.close();
    await server.close();
  }
}
