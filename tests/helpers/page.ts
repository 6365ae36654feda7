/**
 * What the browser tests share: where chromium is, whether it must run, and
 * the library's line for the page's settings (to compare the page's points
 * with).
 */
import { encodeText } from "../../lib/data/iamondb/charset.ts";
import { denormalise } from "../../lib/data/iamondb/offsets.ts";
import { loadWriter } from "../../lib/experiments/write.ts";
import { sampleSynthesis } from "../../lib/models/synthesis_sample.ts";
import { shippedDir } from "../../lib/runs/run.ts";
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
  const w = await loadWriter(shippedDir("synthesis"));
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
