/**
 * `deno task recipe <experiment> [--checkpoint dir] [--run-dir dir]`:
 * prints the `deno task train` commands that retrace a checkpoint's recorded
 * phases (the shipped one by default): its profile from scratch, then each
 * change of settings (`--set`) at the step it was made, to the same step.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { experimentCheckpointMeta, shippedDir } from "../runs/run.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { describeTraining } from "../runs/label.ts";
import { recipeCommands } from "../runs/recipe.ts";
import { trainingRecord } from "../runs/record.ts";
import { displayPath } from "../util/paths.ts";
import { refuseExtraArguments } from "./args.ts";
import { exitWithUsage } from "./usage.ts";
import { experimentsUsage } from "./experiments_usage.ts";
exitWithUsage(import.meta.url, Deno.args, experimentsUsage);

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { checkpoint: { type: "string" }, "run-dir": { type: "string" } },
});
refuseExtraArguments(positionals, 1, "a checkpoint other than the shipped one is given as --checkpoint dir");
const EXPERIMENT_NAMES = Object.keys(EXPERIMENTS);
const experiment = positionals[0];
if (!EXPERIMENT_NAMES.includes(experiment)) {
  console.error(`usage: deno task recipe <${EXPERIMENT_NAMES.join("|")}> [--checkpoint dir] [--run-dir dir]`);
  Deno.exit(2);
}
const dir = values.checkpoint ?? shippedDir(experiment);
let record: ReturnType<typeof experimentCheckpointMeta>;
try {
  record = experimentCheckpointMeta(dir, experiment);
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(1);
}
const step = record.step;
const meta = trainingRecord(record.meta);
console.log(`# ${displayPath(dir)}: step ${step.toLocaleString("en-US")}, ${describeTraining(meta)}`);
const runDir = values["run-dir"] ?? `runs/recipe-${experiment}`;
const commands = recipeCommands(experiment, meta, step, runDir);
for (const c of commands) console.log(c);
// the folder the last command writes (a restart from a float16 export moves to a new one)
const last = commands.at(-1)?.match(/--(?:run-dir|out) (\S+)/)?.[1] ?? runDir;
console.log(`# then: deno task eval ${experiment} --checkpoint ${last} --out ${last}.json`);
console.log(
  "# settings only: code changed since the original run is not retraced, and the weights agree up to",
);
console.log("# floating-point summation order (threads, backend)");
