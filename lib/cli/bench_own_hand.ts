/**
 * `deno task bench --own-hand [--faces futural,timesr,scripts,cursive] [--seeds 3] [--bias 0.75] [--method prime,adapt+slant] [--steps 5] [--checkpoint dir] [--out file.csv]`:
 * how a person's drawn hand sets the writer's (`lib/experiments/own_hand.ts`;
 * `--checkpoint`: default the shipped network `deno task write` writes with, named in the record).
 * Primes drawn with Hershey faces (clean and with mouse-like jitter) and real
 * IAM-OnDB validation lines, all through the style path the page and
 * `deno task style` use; each method (`prime`: the strokes fed first, section
 * 5.5; `adapt`: a copy of the network adapted to them, `lib/experiments/adapt.ts`;
 * `adapt+slant`: and the drawn slant kept) writes five target texts per seed at
 * the bias; Tesseract reads every output.
 * Writes `results/bench_own_hand.csv` (one row per method and prime: character error,
 * words read, their ratio to unprimed output, slant of prime, output and
 * unprimed output, and the share of the slant gap the output closed) and its
 * record. Needs Debian's `tesseract-ocr` and `hershey-fonts-data`.
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { initBackend } from "../backend.ts";
import { type HandMethod, hersheyPrimes, type OwnHandRow, ownHandRows } from "../experiments/own_hand.ts";
import { WRITES } from "../experiments/registry.ts";
import { ADAPT_STEPS, SLANT_TOLERANCE } from "../experiments/adapt.ts";
import { loadWriter } from "../experiments/write.ts";
import { denormalise, offsetsToStrokes } from "../data/iamondb/offsets.ts";
import { yDown } from "../plots/pen.ts";
import { runRecord } from "../report/record.ts";
import { writeFileAtomic } from "../util/files.ts";
import { displayPath, PROJECT_ROOT } from "../util/paths.ts";
import { UsageError } from "../util/errors.ts";
import { numberFlag, seedsFlag } from "./args.ts";

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
      seeds: { type: "string", default: "3" },
      bias: { type: "string", default: "0.75" },
      method: { type: "string", default: "prime,adapt+slant" },
      steps: { type: "string", default: String(ADAPT_STEPS) },
      checkpoint: { type: "string", default: WRITES.shipped },
      out: { type: "string" },
    },
  });
  const seeds = seedsFlag(values.seeds);
  const bias = numberFlag("bias", values.bias, { min: 0 })!;
  const methods = values.method.split(",") as HandMethod[];
  const bad = methods.find((m) => !["prime", "adapt", "adapt+slant"].includes(m));
  if (bad !== undefined) {
    throw new UsageError(`--method ${bad}: prime, adapt or adapt+slant (comma-separated)`);
  }
  const adapt = { steps: numberFlag("steps", values.steps, { integer: true, min: 1, max: 200 })! };
  await initBackend({ quiet: true });
  runRecord({ profile: "bench", data: {}, config: {} }); // a dirty tree is refused now, not after the minutes of writing
  const w = await loadWriter(values.checkpoint);
  const data = await WRITES.loadData();
  const iam = IAM_PRIMES.map((k) => ({
    name: `iam-${data.split.valid[k].id}`,
    text: data.split.valid[k].text,
    strokes: yDown(offsetsToStrokes(denormalise(data.valid[k].points, data.stats), data.valid[k].n)),
  }));
  const t0 = performance.now();
  const primes = [...hersheyPrimes(values.faces.split(","), PRIME_TEXT), ...iam];
  const rows: (OwnHandRow & { method: string })[] = [];
  for (const method of methods) {
    const got = await ownHandRows(w, primes, { targets: TARGETS, seeds, bias, method, adapt });
    // the unprimed lines are the same for every method (same seeds): kept once
    rows.push(
      ...got.filter((r) => r.prime !== "none" || rows.length === 0).map((r) => ({
        ...r,
        method: r.prime === "none" ? "none" : method,
      })),
    );
  }
  const unprimed = rows.filter((r) => r.prime === "none");
  const mean = (rs: OwnHandRow[], f: (r: OwnHandRow) => number) =>
    rs.reduce((a, r) => a + f(r), 0) / rs.length;
  const base = { words: mean(unprimed, (r) => r.words), slant: mean(unprimed, (r) => r.slant) };
  const r3 = (x: number) => Number(x.toFixed(3));
  const lines = [
    "method,prime,cer,words_read,words_vs_unprimed,slant_prime,slant_output,slant_unprimed,slant_gap_closed",
  ];
  const keys = [...new Set(rows.map((r) => `${r.method}|${r.prime}`))];
  for (const key of keys) {
    const [method, name] = key.split("|");
    const rs = rows.filter((r) => r.method === method && r.prime === name);
    const [ps, os] = [mean(rs, (r) => r.primeSlant), mean(rs, (r) => r.slant)];
    // the gap is scored only where the drawing's slant differs from unprimed writing (by 3° or more)
    const closed = name === "none" || Math.abs(ps - base.slant) < SLANT_TOLERANCE
      ? ""
      : r3((os - base.slant) / (ps - base.slant));
    lines.push([
      method,
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
  const out = values.out ?? join(PROJECT_ROOT, "results", "bench_own_hand.csv");
  writeFileAtomic(out, lines.join("\n") + "\n");
  writeFileAtomic(
    out.replace(/\.csv$/, ".record.json"),
    JSON.stringify(
      runRecord({
        profile: "bench",
        data: { iamondb: data.db.fingerprint, prime_lines: iam.map((p) => p.name) },
        config: {
          checkpoint: displayPath(values.checkpoint),
          network: w.label,
          bias,
          seeds,
          methods,
          adapt_steps: adapt.steps,
          targets: TARGETS,
          prime_text: PRIME_TEXT,
          faces: values.faces.split(","),
        },
      }),
      null,
      2,
    ) + "\n",
  );
  console.log(lines.join("\n"));
  console.error(
    `wrote ${displayPath(out)} (${rows.length} lines written and read in ${
      ((performance.now() - t0) / 1000).toFixed(0)
    } s)`,
  );
}
