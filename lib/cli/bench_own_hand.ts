/**
 * `deno task bench --own-hand [--faces futural,timesr,scripts,cursive] [--seeds 2] [--bias 0.75]`:
 * how priming works for a person's hand (`lib/experiments/own_hand.ts`). Primes
 * drawn with Hershey faces (clean and with mouse-like jitter) and real
 * IAM-OnDB validation lines, all through the style path the page and
 * `deno task style` use, plus the IAM lines through `--prime`'s path; each
 * writes five target texts per seed at the bias; Tesseract reads every output.
 * Writes `results/bench_own_hand.csv` (one row per prime: character error,
 * words read, their ratio to unprimed output, slant of prime, output and
 * unprimed output, and the share of the slant gap the output closed) and its
 * record. Needs Debian's `tesseract-ocr` and `hershey-fonts-data`.
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { initBackend } from "../backend.ts";
import { hersheyPrimes, type OwnHandRow, ownHandRows } from "../experiments/own_hand.ts";
import { WRITES } from "../experiments/registry.ts";
import { loadWriter } from "../experiments/write.ts";
import { denormalise, offsetsToStrokes } from "../data/iamondb/offsets.ts";
import { yDown } from "../plots/pen.ts";
import { runRecord } from "../report/record.ts";
import { writeFileAtomic } from "../util/files.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { numberFlag } from "./args.ts";

/** The texts written; letters and the paper's marks only (the paper's network has no digits). */
const TARGETS = [
  "the weather is lovely today",
  "please send me the papers",
  "we will meet at the station",
  "thank you for the kind letter",
  "she said it would rain",
];
const PRIME_TEXT = "a quick brown fox jumps";
const IAM_PRIMES = [41, 74, 120];

/** Runs the benchmark (`deno task bench --own-hand …`). */
export async function benchOwnHand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args: args.filter((a) => a !== "--own-hand"),
    options: {
      faces: { type: "string", default: "futural,timesr,scripts,cursive" },
      seeds: { type: "string", default: "2" },
      bias: { type: "string", default: "0.75" },
    },
  });
  const seeds = Array.from(
    { length: numberFlag("seeds", values.seeds, { integer: true, min: 1, max: 20 })! },
    (_, i) => i + 1,
  );
  const bias = numberFlag("bias", values.bias, { min: 0 })!;
  await initBackend({ quiet: true });
  const w = await loadWriter();
  const data = await WRITES.loadData();
  const iam = IAM_PRIMES.map((k) => ({
    name: `iam-${data.split.valid[k].id}`,
    text: data.split.valid[k].text,
    strokes: yDown(offsetsToStrokes(denormalise(data.valid[k].points, data.stats), data.valid[k].n)),
  }));
  const t0 = performance.now();
  const rows = await ownHandRows(w, [...hersheyPrimes(values.faces.split(","), PRIME_TEXT), ...iam], {
    targets: TARGETS,
    seeds,
    bias,
  });
  const unprimed = rows.filter((r) => r.prime === "none");
  const mean = (rs: OwnHandRow[], f: (r: OwnHandRow) => number) =>
    rs.reduce((a, r) => a + f(r), 0) / rs.length;
  const base = { words: mean(unprimed, (r) => r.words), slant: mean(unprimed, (r) => r.slant) };
  const r3 = (x: number) => Number(x.toFixed(3));
  const lines = [
    "prime,cer,words_read,words_vs_unprimed,slant_prime,slant_output,slant_unprimed,slant_gap_closed",
  ];
  for (const name of [...new Set(rows.map((r) => r.prime))]) {
    const rs = rows.filter((r) => r.prime === name);
    const [ps, os] = [mean(rs, (r) => r.primeSlant), mean(rs, (r) => r.slant)];
    const closed = name === "none" || Math.abs(ps - base.slant) < 0.02
      ? ""
      : r3((os - base.slant) / (ps - base.slant));
    lines.push([
      name,
      r3(mean(rs, (r) => r.cer)),
      r3(mean(rs, (r) => r.words)),
      r3(mean(rs, (r) => r.words) / base.words),
      name === "none" ? "" : r3(ps),
      r3(os),
      r3(base.slant),
      closed,
    ].join(","));
  }
  const out = join(PROJECT_ROOT, "results", "bench_own_hand.csv");
  writeFileAtomic(out, lines.join("\n") + "\n");
  writeFileAtomic(
    join(PROJECT_ROOT, "results", "bench_own_hand.record.json"),
    JSON.stringify(
      runRecord({
        profile: "bench",
        data: { iamondb: data.db.fingerprint, prime_lines: iam.map((p) => p.name) },
        config: { bias, seeds, targets: TARGETS, prime_text: PRIME_TEXT, faces: values.faces.split(",") },
      }),
      null,
      2,
    ) + "\n",
  );
  console.log(lines.join("\n"));
  console.error(
    `wrote results/bench_own_hand.csv (${rows.length} lines written and read in ${
      ((performance.now() - t0) / 1000).toFixed(0)
    } s)`,
  );
}
