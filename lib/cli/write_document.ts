/**
 * `deno task write --file letter.txt [--width 60] [--page a4|letter] [--margin 20mm] [--line-height 10mm]
 * [--bias 0.75] [--style style.json] [--seed 1] [--format svg|gcode] [--pen-up "M3 S0"] [--pen-down "M3 S90"]
 * [--feed 2000] [--simplify 0.1] [--unknown replace|drop|refuse] [--redraws 3] [--chain first|previous|none] --out letter.svg`:
 * a whole text file written in one hand (`lib/experiments/document.ts`), one
 * SVG (mm, stroke-only paths) or G-code file per page: `letter-1.svg`, ….
 * Characters the network cannot write are listed first; a line the step cap
 * ends is redrawn with another seed (counted); progress goes to stderr.
 * @module
 */
import { parseArgs } from "node:util";
import { basename, dirname, join } from "node:path";
import { assertWritableFile, replaceFileSet } from "../util/files.ts";
import { assertWritableText, clip } from "../util/text.ts";
import { exists } from "../util/paths.ts";
import { initBackend } from "../backend.ts";
import { disposeWriter, loadWriter } from "../experiments/write.ts";
import { PAGE_SIZES, prepareText, type UnknownPolicy, writeDocument } from "../experiments/document.ts";
import { parseStyle } from "../data/iamondb/style.ts";
import { penSvg, simplifyStroke } from "../plots/pen.ts";
import { orderStrokes, toGcode, travel } from "../plots/gcode.ts";
import { shippedDir } from "../runs/run.ts";
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
      width: { type: "string", default: "60" },
      page: { type: "string", default: "a4" },
      margin: { type: "string", default: "20mm" },
      "line-height": { type: "string", default: "10mm" },
      bias: { type: "string", default: "0.75" },
      style: { type: "string" },
      chain: { type: "string", default: "first" },
      "compare-hands": { type: "boolean", default: false },
      seed: { type: "string", default: "1" },
      out: { type: "string" },
      format: { type: "string", default: "svg" },
      "pen-up": { type: "string", default: "M3 S0" },
      "pen-down": { type: "string", default: "M3 S90" },
      feed: { type: "string", default: "2000" },
      simplify: { type: "string", default: "0" },
      unknown: { type: "string", default: "replace" },
      redraws: { type: "string", default: "3" },
      "finish-stroke": { type: "string", default: "150" },
      checkpoint: { type: "string", default: shippedDir("synthesis") },
    },
  });
  refuseExtraArguments(positionals, 0, "with --file, the text comes from the file");
  if (!values.out) {
    throw new UsageError("--out letter.svg: where the pages go (letter-1.svg, letter-2.svg, …)");
  }
  const size = PAGE_SIZES[values.page];
  if (!size) throw new UsageError(`--page ${values.page}: ${Object.keys(PAGE_SIZES).join(" or ")}`);
  if (!["first", "previous", "none"].includes(values.chain)) {
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
  if (prepared.unknown.size) {
    const gone = [...prepared.dropped].map(([ch, n]) => `“${ch}” ×${n}`).join(", ");
    console.error(
      `${values.file}: characters outside the network's set: ${prepared.list}; ${
        values.unknown === "drop" ? "dropped" : `replaced${gone ? `, except ${gone}, dropped` : ""}`
      }`,
    );
  }
  if (values["compare-hands"]) {
    return compareHands(w, prepared.text, values.out, {
      width,
      page,
      seed: Number(values.seed),
      bias: Number(values.bias),
    });
  }
  const t0 = performance.now();
  const doc = writeDocument(w, prepared.text, {
    width,
    page,
    bias: numberFlag("bias", values.bias, { min: 0 })!,
    seed: numberFlag("seed", values.seed, { integer: true, min: 0 })!,
    style,
    chain: values.chain as "first" | "previous" | "none",
    finishStroke: numberFlag("finish-stroke", values["finish-stroke"], { integer: true, min: 0 })!,
    redraws: numberFlag("redraws", values.redraws, { integer: true, min: 0 })!,
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
    const name = `${out.prefix}-${i + 1}.${values.format}`;
    if (values.format === "svg") {
      const svg = penSvg(ink, { mmPerUnit: 1, page: size, marginMm: 0 });
      files.set(name, svg);
      files.set(name.replace(/\.svg$/, ".png"), toPng({ svg, width: 0, height: 0 }, 1.5)); // to look at
    } else {
      const ordered = orderStrokes(ink);
      files.set(
        name,
        toGcode(ordered, {
          penUp: values["pen-up"],
          penDown: values["pen-down"],
          feed: numberFlag("feed", values.feed, { min: 1 }),
          pageHeightMm: size[1],
        }),
      );
      reports.push(
        `${join(out.dir, name)}: pen-up travel ${(travel(ordered) / 1000).toFixed(2)} m (in writing order: ${
          (travel(ink) / 1000).toFixed(2)
        } m)`,
      );
    }
  });
  // the pages replace an earlier document's of the same name as a set: no stale page, no mix of two
  const member = new RegExp(
    `^${out.prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-\\d+\\.(svg|png|gcode|nc)$`,
  );
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
        style ? `every line in the style of ${values.style}` : {
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
    caption: `synthesis network: ${w.label}`,
  });
  const paths = saveFigure(fig, dirname(out), out.replace(/^.*\//, "").replace(/\.(svg|png)$/, ""));
  console.log(`wrote ${paths.svg} and ${paths.png}`);
  disposeWriter(w);
}
