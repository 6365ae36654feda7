/**
 * `deno task write --file letter.txt [--width 60] [--page a4|letter] [--margin 20mm] [--line-height 10mm]
 * [--bias 0.75] [--style style.json [--hand adapt|prime] [--adapt-steps 5]] [--seed 1] [--format svg|gcode] [--preset grbl-servo|grbl-spindle|z-axis]
 * [--pen-up "M3 S0"] [--pen-down "M3 S90"] [--dwell 0.15] [--feed 2000] [--travel-feed 5000] [--invert-y]
 * [--simplify 0.05] [--unknown replace|drop|refuse] [--redraws 3] [--chain first|previous|none] --out letter.svg`:
 * a whole text file written in one hand (`lib/experiments/document.ts`), one
 * SVG (mm, stroke-only paths, one Inkscape layer per page) or G-code file per
 * page: `letter-1.svg`, …, strokes in plotting order (nearest first, reversed
 * where that is shorter). G-code (`lib/plots/gcode.ts`): millimetres, absolute,
 * the feed set first, a dwell after each pen move, `M2` at the end; `--preset`
 * picks the pen commands (`--pen-up`/`--pen-down`/`--dwell` override them).
 * Every page reports its pen-down and pen-up lengths and an estimated time
 * (drawing at `--feed`, travelling at `--travel-feed`, mm/min). `--simplify`
 * (mm, default 0.05: a tenth of a pen line, invisible) drops points within that
 * distance. Every flag is checked before any work; characters the network
 * cannot write are listed first; a line the step cap ends is redrawn with
 * another seed (counted); progress goes to stderr. With `--style`, the hand
 * comes from a copy of the network adapted to the style's strokes (`--hand
 * adapt`, the default: `--adapt-steps` Adam steps, then every line sheared to
 * the style's slant) or from priming every line with them (`--hand prime`,
 * right for an IAM-OnDB line).
 * @module
 */
import { parseArgs } from "node:util";
import { basename, dirname, join } from "node:path";
import { assertWritableFile, replaceFileSet } from "../util/files.ts";
import { assertWritableText, clip } from "../util/text.ts";
import { exists } from "../util/paths.ts";
import { initBackend } from "../backend.ts";
import { disposeWriter, experimentOf, loadWriter } from "../experiments/write.ts";
import {
  type Chain,
  CHAINS,
  DOCUMENT_DEFAULTS as D,
  PAGE_SIZES,
  prepareText,
  type UnknownPolicy,
  writeDocument,
} from "../experiments/document.ts";
import { parseStyle } from "../data/iamondb/style.ts";
import { ADAPT_STEPS } from "../experiments/adapt.ts";
import { coverageNote } from "../data/iamondb/charset.ts";
import { penSvg, simplifyStroke } from "../plots/pen.ts";
import { GCODE_PRESETS, orderStrokes, penCommands, plotStats, toGcode } from "../plots/gcode.ts";
import { WRITES } from "../experiments/registry.ts";
import { numberFlag, refuseExtraArguments } from "./args.ts";
import { saveFigure, toPng } from "../plots/render.ts";
import { pagesFigure } from "../plots/pen.ts";
import type { Writer } from "../experiments/write.ts";
import type { PageGeometry } from "../experiments/document.ts";
import { UsageError } from "./errors.ts";

const mmFlag = (name: string, v: string) => numberFlag(name, v.replace(/mm$/, ""), { min: 0 })!;

/** Runs the document writer on `args` (`deno task write --file …`). */
export async function writeDocumentCli(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      file: { type: "string" },
      width: { type: "string", default: String(D.width) },
      page: { type: "string", default: D.page },
      margin: { type: "string", default: `${D.marginMm}mm` },
      "line-height": { type: "string", default: `${D.lineHeightMm}mm` },
      bias: { type: "string", default: String(D.bias) },
      style: { type: "string" },
      chain: { type: "string", default: D.chain },
      "compare-hands": { type: "boolean", default: false },
      seed: { type: "string", default: String(D.seed) },
      out: { type: "string" },
      format: { type: "string", default: "svg" },
      preset: { type: "string", default: "grbl-servo" },
      "pen-up": { type: "string" },
      "pen-down": { type: "string" },
      dwell: { type: "string" },
      feed: { type: "string", default: "2000" },
      "travel-feed": { type: "string", default: "5000" },
      "invert-y": { type: "boolean", default: false },
      simplify: { type: "string", default: "0.05" },
      unknown: { type: "string", default: "replace" },
      redraws: { type: "string", default: String(D.redraws) },
      "finish-stroke": { type: "string", default: String(D.finishStroke) },
      hand: { type: "string", default: "adapt" },
      "adapt-steps": { type: "string", default: String(ADAPT_STEPS) },
      checkpoint: { type: "string", default: WRITES.shipped },
    },
  });
  refuseExtraArguments(positionals, 0, "with --file, the text comes from the file");
  if (!values.out) {
    throw new UsageError("--out letter.svg: where the pages go (letter-1.svg, letter-2.svg, …)");
  }
  const size = PAGE_SIZES[values.page];
  if (!size) throw new UsageError(`--page ${values.page}: ${Object.keys(PAGE_SIZES).join(" or ")}`);
  if (!(CHAINS as readonly string[]).includes(values.chain)) {
    throw new UsageError(`--chain ${values.chain}: first (every line primed by the first), previous or none`);
  }
  if (!["svg", "gcode"].includes(values.format)) {
    throw new UsageError(`--format ${values.format}: svg or gcode`);
  }
  if (!["replace", "drop", "refuse"].includes(values.unknown)) {
    throw new UsageError(`--unknown ${values.unknown}: replace (typographic marks → plain), drop or refuse`);
  }
  const page = {
    size,
    marginMm: mmFlag("margin", values.margin),
    lineHeightMm: mmFlag("line-height", values["line-height"]),
  };
  const width = numberFlag("width", values.width, { integer: true, min: 5, max: 120 })!;
  const simplify = mmFlag("simplify", values.simplify);
  // the plotter's flags, checked now whatever the format (a bad one never waits for the whole document)
  if (!GCODE_PRESETS[values.preset]) {
    throw new UsageError(`--preset ${values.preset}: ${Object.keys(GCODE_PRESETS).join(", ")}`);
  }
  for (const k of ["pen-up", "pen-down"] as const) {
    const v = values[k];
    if (v !== undefined && !/^[A-Z][-\d.]*( [A-Z][-\d.]*)*$/.test(v.trim())) {
      throw new UsageError(`--${k} "${v}": G-code words such as "M3 S90" or "G1 Z0"`);
    }
  }
  const pen = penCommands({
    preset: values.preset,
    penUp: values["pen-up"]?.trim(),
    penDown: values["pen-down"]?.trim(),
    dwellS: numberFlag("dwell", values.dwell, { min: 0, max: 10 }),
  });
  const feed = numberFlag("feed", values.feed, { above: 0, max: 100_000 })!;
  const travelFeed = numberFlag("travel-feed", values["travel-feed"], { above: 0, max: 100_000 })!;
  const bias = numberFlag("bias", values.bias, { min: 0 })!;
  const seed = numberFlag("seed", values.seed, { integer: true, min: 0 })!;
  const finishStroke = numberFlag("finish-stroke", values["finish-stroke"], { integer: true, min: 0 })!;
  const redraws = numberFlag("redraws", values.redraws, { integer: true, min: 0 })!;
  if (!["adapt", "prime"].includes(values.hand)) {
    throw new UsageError(`--hand ${values.hand}: adapt or prime`);
  }
  const adaptSteps = numberFlag("adapt-steps", values["adapt-steps"], { integer: true, min: 1, max: 200 })!;
  const out = documentOut(values.out); // checked before any writing: the folder exists and takes files
  const raw = await Deno.readTextFile(values.file!);
  assertWritableText(raw, values.file!); // empty, only spaces, or binary: refused before any work
  const style = values.style ? parseStyle(await Deno.readTextFile(values.style), values.style) : undefined;
  await initBackend({ quiet: true });
  const w = await loadWriter(values.checkpoint);
  const prepared = prepareText(raw, w.charset, values.unknown as UnknownPolicy);
  const unknownCount = [...prepared.unknown.values()].reduce((a, n) => a + n, 0);
  const letters = [...raw].filter((c) => !/\s/.test(c)).length;
  if (unknownCount > 0.5 * letters) {
    throw new Error(
      `${values.file}: ${unknownCount} of its ${letters} characters are outside the network's set (${
        clip(prepared.list, 80)
      }): not text it can write`,
    );
  }
  const note = coverageNote(prepared.text, w.charset); // digits and rare marks: one squiggle, said first
  if (note) console.error(`${values.file}: ${note}`);
  if (prepared.unknown.size) {
    const gone = [...prepared.dropped].map(([ch, n]) => `“${ch}” ×${n}`).join(", ");
    console.error(
      `${values.file}: characters outside the network's set: ${prepared.list}; ${
        values.unknown === "drop" ? "dropped" : `replaced${gone ? `, except ${gone}, dropped` : ""}`
      }`,
    );
  }
  if (values["compare-hands"]) {
    return compareHands(w, prepared.text, values.out, { width, page, seed, bias });
  }
  const t0 = performance.now();
  const doc = writeDocument(w, prepared.text, {
    width,
    page,
    bias,
    seed,
    style,
    hand: values.hand as "adapt" | "prime",
    adapt: { steps: adaptSteps },
    chain: values.chain as Chain,
    finishStroke,
    redraws,
    onLine: (done, total) => {
      const s = (performance.now() - t0) / 1000, left = (s / done) * (total - done);
      const bar = "█".repeat(Math.round((20 * done) / total)).padEnd(20, "·");
      Deno.stderr.writeSync(
        new TextEncoder().encode(
          `\r${bar} line ${done}/${total} | ${s.toFixed(0)} s, ~${left.toFixed(0)} s left`,
        ),
      );
    },
  });
  console.error("");
  const files = new Map<string, string | Uint8Array>();
  const reports: string[] = [];
  doc.pages.forEach((strokes, i) => {
    const ink = strokes.map((s) => simplifyStroke(s, simplify));
    const ordered = orderStrokes(ink); // plotting order, for the SVG as for G-code
    const name = `${out.prefix}-${i + 1}.${values.format}`;
    const title = `page ${i + 1} of ${doc.pages.length}`;
    if (values.format === "svg") {
      const svg = penSvg(ordered, { mmPerUnit: 1, page: size, marginMm: 0, layer: `${i + 1} ${title}` });
      files.set(name, svg);
      files.set(name.replace(/\.svg$/, ".png"), toPng({ svg, width: 0, height: 0 }, 1.5)); // to look at
    } else {
      files.set(
        name,
        toGcode(ordered, { ...pen, feed, pageHeightMm: size[1], invertY: values["invert-y"], title }),
      );
    }
    const s = plotStats(ordered, { feed, travelFeed, dwellS: values.format === "gcode" ? pen.dwellS : 0 });
    const asWritten = plotStats(ink, { feed, travelFeed, dwellS: 0 });
    reports.push(
      `${join(out.dir, name)}: ${s.strokes} strokes, ${
        ink.reduce((a, k) => a + k.x.length, 0).toLocaleString("en")
      } points; pen down ${s.downM.toFixed(2)} m, pen up ${s.upM.toFixed(2)} m (${
        asWritten.upM.toFixed(2)
      } m in writing order); about ${
        Math.ceil(s.minutes)
      } min at ${feed} mm/min drawing, ${travelFeed} travelling` +
        (values.format === "gcode" ? `, ${pen.dwellS} s dwells` : ""),
    );
  });
  // the pages replace an earlier document's of the same name and format as a set: no stale page, no mix of
  // two (the SVG pages and their PNGs are one set, the G-code pages another: writing one keeps the other)
  const kinds = values.format === "svg" ? "svg|png" : "gcode|nc";
  const member = new RegExp(`^${out.prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-\\d+\\.(${kinds})$`);
  const written = replaceFileSet(out.dir, out.prefix, (n) => member.test(n), files);
  for (const r of reports) console.error(r);
  const lines = doc.lines.filter((l) => l.text);
  const redrawn = lines.reduce((a, l) => a + l.redrawn, 0),
    unfinished = lines.filter((l) => !l.finished).length;
  const shrunk = lines.filter((l) => l.shrunk < 1).length;
  console.log(
    `${lines.length} lines on ${doc.pages.length} page${doc.pages.length > 1 ? "s" : ""} in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s, ` +
      `${
        style
          ? values.hand === "adapt"
            ? `written by the network adapted to ${values.style} (${adaptSteps} steps), its slant kept`
            : `every line primed with ${values.style}`
          : {
            first: "every line primed by the first",
            previous: "each line primed by the one before",
            none: "each line unprimed",
          }[values.chain]
      }; ` +
      `${redrawn} redraws of stalled lines, ${unfinished} still unfinished, ${shrunk} shrunk to fit the width`,
  );
  console.log(`wrote ${written.join(", ")}`);
  disposeWriter(w);
}

/**
 * Where `--out` puts the pages: `letter.svg` → `letter-1.svg`, … in its
 * folder (made if missing); a folder (`out/`, or one that exists) →
 * `out/page-1.svg`, …. Checked before any work: the folder takes files.
 */
function documentOut(out: string): { dir: string; prefix: string } {
  const isDir = out.endsWith("/") || (exists(out) && Deno.statSync(out).isDirectory);
  const dir = isDir ? out.replace(/\/+$/, "") || "/" : dirname(out);
  const prefix = isDir ? "page" : basename(out).replace(/\.(svg|gcode|nc)$/i, "");
  if (!prefix || prefix.startsWith(".")) throw new UsageError(`--out ${out}: a file name such as letter.svg`);
  try {
    Deno.mkdirSync(dir, { recursive: true });
    assertWritableFile(join(dir, `${prefix}-1.svg`), { what: "--out" });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return { dir, prefix };
}

/** `--compare-hands`: the first page written unprimed, chained line to line, and anchored on the first line, side by side. */
function compareHands(
  w: Writer,
  text: string,
  out: string,
  o: { width: number; page: PageGeometry; seed: number; bias: number },
): void {
  const ways = [
    ["none", "each line unprimed"],
    ["previous", "each line primed by the one before"],
    ["first", "every line primed by the first"],
  ] as const;
  const pages = ways.map(([chain, label]) => {
    const doc = writeDocument(w, text, { ...o, chain, finishStroke: 150, redraws: 3 });
    console.error(`${label}: ${doc.lines.filter((l) => l.text).length} lines`);
    return { label, strokes: doc.pages[0] };
  });
  const fig = pagesFigure(pages, o.page.size, {
    title: `One text, three ways to keep a hand (bias ${o.bias}, seed ${o.seed})`,
    caption: `${experimentOf(w.meta)} network: ${w.label}`,
  });
  const paths = saveFigure(fig, dirname(out), out.replace(/^.*\//, "").replace(/\.(svg|png)$/, ""));
  console.log(`wrote ${paths.svg} and ${paths.png}`);
  disposeWriter(w);
}
