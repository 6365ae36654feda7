/**
 * `deno task write "any text" [--bias b] [--prime N] [--samples k] [--out file.svg] [--checkpoint dir] [--finish-stroke n] [--paper-bias] [--unbiased-first-stroke] [--redraws n]`:
 * handwriting from the command line with the shipped synthesis checkpoint
 * (`--file letter.txt …`: a whole document in pages, SVG or G-code: `write_document.ts`).
 * Each sample ends by the paper's stopping rule (section 5.3), then finishes
 * the stroke it is in (at most `--finish-stroke` points, default 150; 0 for
 * the rule alone), since the rule often cuts the last letter short. The bias
 * narrows the Gaussians (σ) but leaves the mixture weights alone: sharpened
 * weights (`--paper-bias`, the paper's eq 19) can trap the pen in ever
 * smaller strokes. `--unbiased-first-stroke` applies the bias only from the
 * first pen lift, an older remedy for the same trap. A sample that the
 * step cap ends before the stopping rule fires is drawn again with another
 * seed, at most `--redraws` times (default 3; 0 keeps every first draw).
 * `--prime N` imitates the style of line N (1-based) of IAM-OnDB's
 * `splits/prime_set.txt` (needs the dataset). Prints each sample's pen steps,
 * how many samples the step cap ended before the stopping rule fired
 * (unfinished: a stalled pen), and where the files went.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { join } from "node:path";
import { initBackend } from "../backend.ts";
import { disposeWriter, experimentOf, loadWriter, wrapText, write } from "../experiments/write.ts";
import { UsageError } from "./errors.ts";
import { numberFlag } from "./args.ts";

/** Characters per written line: a longer text is wrapped at words. */
const WRAP_WIDTH = 60;
/** The longest text one command writes (ten lines). */
const MAX_TEXT = 600;
import { handwriting } from "../plots/figures.ts";
import { saveFigure } from "../plots/render.ts";
import { dataRoot, PROJECT_ROOT } from "../util/paths.ts";
import { readSplitList } from "../data/iamondb/splits.ts";
import { coverageNote } from "../data/iamondb/charset.ts";
import { WRITES } from "../experiments/registry.ts";
import { assertWritableText, clip } from "../util/text.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage([import.meta.url, new URL("./write_document.ts", import.meta.url).href]);

// --file: a whole document, in pages (lib/cli/write_document.ts)
if (Deno.args.some((a) => a === "--file" || a.startsWith("--file="))) {
  await (await import("./write_document.ts")).writeDocumentCli(Deno.args);
  Deno.exit(0);
}

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    bias: { type: "string", default: "0.5" },
    prime: { type: "string" },
    samples: { type: "string", default: "1" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
    checkpoint: { type: "string", default: WRITES.shipped },
    "finish-stroke": { type: "string", default: "150" },
    "paper-bias": { type: "boolean", default: false },
    "unbiased-first-stroke": { type: "boolean", default: false },
    redraws: { type: "string", default: "3" },
  },
});
const text = positionals.join(" ");
if (text.length > MAX_TEXT) {
  throw new UsageError(
    `the text is ${text.length} characters; deno task write takes at most ${MAX_TEXT} (${
      MAX_TEXT / WRAP_WIDTH
    } lines of ${WRAP_WIDTH})`,
  );
}
if (!text) {
  console.error('usage: deno task write "any text" [--bias b] [--prime N] [--samples k] [--out file.svg]');
  Deno.exit(2);
}
try {
  assertWritableText(text, "the text");
} catch (e) {
  throw new UsageError((e as Error).message);
}
const sampleCount = numberFlag("samples", values.samples, { integer: true, min: 1, max: 100 })!;
const seed = numberFlag("seed", values.seed, { integer: true, min: 0 })!;
await initBackend({ quiet: true });
const w = await loadWriter(values.checkpoint);
let prime: { points: Float32Array; n: number; text: string } | undefined;
if (values.prime) {
  const list = readSplitList(join(dataRoot(), "iamondb", "splits", "prime_set.txt"));
  const want = list[numberFlag("prime", values.prime, { integer: true, min: 1 })! - 1];
  if (!want) throw new Error(`--prime ${values.prime}: prime_set.txt has ${list.length} lines`);
  const data = await WRITES.loadData();
  const i = data.split.valid.findIndex((l) => l.id === want.id);
  const j = data.split.train.findIndex((l) => l.id === want.id);
  const line = i >= 0 ? data.valid[i] : data.train[j];
  if (!line) throw new Error(`prime line ${want.id} is not in the corpus`);
  prime = { points: line.points, n: line.n, text: (i >= 0 ? data.split.valid[i] : data.split.train[j]).text };
}
const bias = numberFlag("bias", values.bias, { min: 0 })!;
const finishStroke = numberFlag("finish-stroke", values["finish-stroke"], { integer: true, min: 0 })!;
const redraws = numberFlag("redraws", values.redraws, { integer: true, min: 0 })!;
const note = coverageNote(text, w.charset); // said before writing: digits and rare marks become one squiggle
if (note) console.error(note);
// A long text is written as several lines, wrapped at words (one pen line each), never as one 2,000-character line.
const lines = wrapText(text, WRAP_WIDTH);
const samples = Array.from({ length: sampleCount }, (_, k) =>
  lines.map((line) =>
    write(w, line, {
      bias,
      seed: seed + k,
      prime,
      finishStroke,
      unbiasedFirstStroke: values["unbiased-first-stroke"],
      biasWeights: values["paper-bias"],
      redraws,
    })
  ));
const fig = handwriting(
  samples.flatMap((sample, k) =>
    sample.map((s, j) => ({
      strokes: s.strokes,
      label: `sample ${k + 1}${lines.length > 1 ? `, line ${j + 1}` : ""}${
        s.redrawn ? ` (draw ${s.redrawn + 1})` : ""
      }${s.finished ? "" : " (unfinished: the step cap ended it)"}`,
    }))
  ),
  {
    // the settings in the title, the network's short label in the caption: each at most 120 characters
    title: clip(
      [
        `“${clip(text, 40)}”`,
        `bias ${bias}${values["paper-bias"] ? " (π and σ)" : " on σ only"}${
          values["unbiased-first-stroke"] ? " from the first pen lift" : ""
        }`,
        ...(prime ? [`primed with “${clip(prime.text, 20)}”`] : []),
        finishStroke ? `last stroke finished (≤ ${finishStroke} points)` : "",
        redraws ? `redrawn ≤ ${redraws}×` : "",
      ].filter(Boolean).join(" · "),
    ),
    caption: `${experimentOf(w.meta)} network: ${w.label}`,
  },
);
// By default into scratch/write/ (ignored by git): what you write is yours, never a tracked result.
const out = values.out ??
  join(PROJECT_ROOT, "scratch", "write", `${text.replace(/[^A-Za-z0-9]+/g, "_").slice(0, 40)}.svg`);
const paths = saveFigure(fig, join(out, ".."), out.replace(/^.*\//, "").replace(/\.svg$/, ""));
samples.forEach((sample, k) =>
  sample.forEach((s, j) => {
    const again = s.redrawn
      ? ` (draw ${s.redrawn + 1}; the step cap ended ${s.redrawn === 1 ? "draw 1" : `draws 1-${s.redrawn}`})`
      : "";
    const end = s.finished
      ? again
      : `${again}: the stopping rule never fired, the step cap ended it (unfinished)`;
    const what = lines.length > 1 ? `sample ${k + 1}, line ${j + 1}` : `sample ${k + 1}`;
    console.log(
      `${what}: ${s.steps} pen steps for ${lines[j].length} characters in ${s.seconds.toFixed(2)} s${end}`,
    );
  })
);
const drawn = samples.flat();
const unfinished = drawn.filter((s) => !s.finished).length;
const redrawn = drawn.reduce((a, s) => a + s.redrawn, 0);
console.log(
  `${unfinished} of ${drawn.length} ${
    lines.length > 1 ? "lines" : "samples"
  } unfinished (stopped by the step cap, not the stopping rule)${
    redraws ? `; ${redrawn} unfinished draws redrawn (--redraws ${redraws})` : ""
  }`,
);
console.log(`wrote ${paths.svg} and ${paths.png}`);
disposeWriter(w);
