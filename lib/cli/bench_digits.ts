/**
 * `deno task bench --digits [--writer dir] [--seeds 2] [--bias 1] [--chain first|previous|none] [--out file.csv]`:
 * can people read digits and punctuation in what the networks write
 * (`lib/experiments/legibility.ts`)? Six lines with dates, times, prices and
 * numbers, written at the bias as `deno task write --file` writes a file of
 * them (one document per seed, its defaults otherwise: `--chain` as there), by the
 * shipped paper network (digits in its one non-letter class) and by the
 * writer with digits (`--writer`: a checkpoint of the `writer` experiment;
 * default the shipped one that `deno task write` writes with), read back by Tesseract beside
 * real IAM-OnDB validation lines with digits. Prints one row per source —
 * digits read in order, words read — and writes them to `--out` (default
 * `results/bench_digits.csv` with its record). Needs Debian's `tesseract-ocr`.
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { initBackend } from "../backend.ts";
import {
  DIGIT_LINES,
  type LegibilityRow,
  realLegibility,
  writtenLegibility,
} from "../experiments/legibility.ts";
import { EXPERIMENTS, WRITES } from "../experiments/registry.ts";
import { type Chain, CHAINS, DOCUMENT_DEFAULTS } from "../experiments/document.ts";
import { disposeWriter, experimentOf, loadWriter } from "../experiments/write.ts";
import { holdsCheckpoint } from "../runs/checkpoint.ts";
import { runRecord } from "../report/record.ts";
import { writeFileAtomic } from "../util/files.ts";
import { displayPath, PROJECT_ROOT } from "../util/paths.ts";
import { numberFlag, seedsFlag } from "./args.ts";
import { UsageError } from "./errors.ts";

/** Runs the benchmark (`deno task bench --digits …`). */
export async function benchDigits(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args: args.filter((a) => a !== "--digits"),
    options: {
      writer: { type: "string" },
      seeds: { type: "string", default: "2" },
      bias: { type: "string", default: "1" },
      chain: { type: "string", default: DOCUMENT_DEFAULTS.chain },
      out: { type: "string" },
    },
  });
  const seeds = seedsFlag(values.seeds);
  const bias = numberFlag("bias", values.bias, { min: 0 })!;
  const chain = values.chain as Chain;
  if (!CHAINS.includes(chain)) {
    throw new UsageError(`--chain ${chain}: first, previous or none (as deno task write --file)`);
  }
  await initBackend({ quiet: true });
  if (!values.out) runRecord({ profile: "bench", data: {}, config: {} }); // a dirty tree is refused before the work
  const writers = [EXPERIMENTS.synthesis.shipped, values.writer ?? WRITES.shipped].filter(holdsCheckpoint);
  const rows: LegibilityRow[] = [];
  const t0 = performance.now();
  for (const dir of writers) {
    const w = await loadWriter(dir);
    const name = experimentOf(w.meta);
    rows.push(...await writtenLegibility(name, w, { seeds, bias, chain }));
    disposeWriter(w);
  }
  const data = await WRITES.loadData();
  const real = data.split.valid.map((l, i) => ({ text: l.text, line: data.valid[i] }));
  rows.push(...await realLegibility(real, data.stats));
  const mean = (rs: LegibilityRow[], f: (r: LegibilityRow) => number) =>
    rs.reduce((a, r) => a + f(r), 0) / rs.length;
  const r3 = (x: number) => Number(x.toFixed(3));
  const lines = ["source,lines,digits_in_order,words_read"];
  for (const source of [...new Set(rows.map((r) => r.source))]) {
    const rs = rows.filter((r) => r.source === source);
    lines.push([source, rs.length, r3(mean(rs, (r) => r.digits)), r3(mean(rs, (r) => r.words))].join(","));
  }
  for (const r of rows) console.error(`${r.source} ${r.seed}: ${r.text} → ${r.read}`);
  console.log(lines.join("\n"));
  const out = values.out ?? join(PROJECT_ROOT, "results", "bench_digits.csv");
  writeFileAtomic(out, lines.join("\n") + "\n");
  if (!values.out) {
    writeFileAtomic(
      out.replace(/\.csv$/, ".record.json"),
      JSON.stringify(
        runRecord({
          profile: "bench",
          data: { iamondb: data.db.fingerprint },
          config: {
            bias,
            seeds,
            lines: DIGIT_LINES,
            written: { as: "deno task write --file", ...DOCUMENT_DEFAULTS, chain },
            writers: writers.map(displayPath),
          },
        }),
        null,
        2,
      ) + "\n",
    );
  }
  console.error(
    `wrote ${displayPath(out)} (${rows.length} lines read in ${
      ((performance.now() - t0) / 1000).toFixed(0)
    } s)`,
  );
}
