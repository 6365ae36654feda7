/**
 * `deno task eval <experiment> [--checkpoint dir] [--out file] [its flags]`:
 * scores a checkpoint (default: the shipped one) the way its experiment
 * declares (`scoring` in `lib/experiments/<name>.ts`: what it scores, its
 * flags) and writes the result beside the notebook's results (or to
 * `--out`), which the notebook shows beside its own quick numbers when the
 * steps match; another shipped network of the experiment (`--checkpoint
 * results/checkpoints/handwriting-awn`) scores into a folder of its name there
 * (`results/03_handwriting_prediction/handwriting-awn/`), never over the
 * shipped network's scores. The experiments and their flags follow.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { join, relative } from "node:path";
import { initBackend } from "../backend.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { recordTiming, resultsDir, scoresFolder } from "../report/record.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { UsageError } from "../util/errors.ts";
import { assertWritableFile, writeFileAtomic } from "../util/files.ts";
import { helpAsked, moduleDoc } from "./usage.ts";
import { refuseExtraArguments } from "./args.ts";

/** Prints a usage error's message alone and exits 2 (the tests and people read it from its first word). */
function refuse(message: string): never {
  console.error(message);
  Deno.exit(2);
}

const scored = Object.entries(EXPERIMENTS).filter(([, e]) => e.scoring);
if (helpAsked()) {
  // the module comment, then each experiment's flags as it declares them
  console.log(
    moduleDoc(import.meta.url) +
      "\n\nexperiments, each with its flags (besides --checkpoint dir and --out file):",
  );
  for (const [n, e] of scored) {
    const flags = Object.entries(e.scoring!.flags);
    console.log(`  ${n}: ${e.scoring!.about}`);
    if (!flags.length) console.log("    (no flags)");
    for (const [f, help] of flags) console.log(`    --${f}: ${help}`);
  }
  Deno.exit(0);
}
const name = Deno.args[0];
const experiment = EXPERIMENTS[name];
if (!experiment?.scoring) {
  refuse(
    `usage: deno task eval <${
      scored.map(([n]) => n).join("|")
    }> [--checkpoint dir] [--out file] [the experiment's flags] (deno task eval --help)`,
  );
}
const scoring = experiment.scoring;
const own = Object.keys(scoring.flags);
// the experiment's own flags are checked by name, so a flag of another experiment says which it belongs to
const given = Deno.args.slice(1).filter((a) => a.startsWith("--")).map((a) => a.slice(2).split("=")[0]);
const foreign = given.find((f) => !["checkpoint", "out", "help", ...own].includes(f));
if (foreign !== undefined) {
  const at = Deno.args.findIndex((a) => a === `--${foreign}` || a.startsWith(`--${foreign}=`));
  const value = Deno.args[at].includes("=")
    ? Deno.args[at].split("=").slice(1).join("=")
    : Deno.args[at + 1] ?? "";
  refuse(
    `--${foreign} ${value}: not a flag of deno task eval ${name}; it takes --checkpoint, --out${
      own.map((f) => `, --${f}`).join("")
    }`,
  );
}
const { values, positionals } = parseArgs({
  args: Deno.args.slice(1),
  allowPositionals: true,
  options: {
    checkpoint: { type: "string" },
    out: { type: "string" },
    ...Object.fromEntries(own.map((f) => [f, { type: "string" as const }])),
  },
});
refuseExtraArguments(positionals, 0, "a checkpoint other than the shipped one is given as --checkpoint dir");
const { checkpoint = experiment.defaultCheckpoint ?? experiment.shipped, out, ...flags } = values as Record<
  string,
  string | undefined
>;
let score;
try {
  score = scoring.plan(flags, { checkpoint, out });
  // where the scores go is checked before the scoring (minutes to hours)
  if (out) assertWritableFile(out, { what: "--out" });
} catch (e) {
  refuse((e as Error).message);
}
const t0 = performance.now();
await initBackend();
try {
  const s = await score();
  const path = out ??
    join(resultsDir(scoresFolder(experiment.results, experiment.shipped, checkpoint)), s.file);
  console.log(s.summary); // the score first: a failed write never loses it
  writeFileAtomic(path, JSON.stringify(s.out, null, 2) + "\n");
  recordTiming(`deno task eval ${Deno.args.join(" ")}`, (performance.now() - t0) / 1000);
  console.log(`→ ${relative(PROJECT_ROOT, path)}`);
} catch (e) {
  if (e instanceof UsageError) refuse(e.message);
  console.error((e as Error).message); // bad input: the message names the file and what to do
  Deno.exit(1);
}
