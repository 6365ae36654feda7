/**
 * `deno task recipe <ptb|wikipedia|handwriting|synthesis> [--checkpoint dir] [--run-dir dir]`:
 * prints the `deno task train` commands that retrace a checkpoint's recorded
 * phases (the shipped one by default): its profile from scratch, then each
 * change of settings (`--set`) at the step it was made, to the same step.
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { shippedDir } from "../experiments/run.ts";
import { readCheckpointMeta } from "../train/checkpoint.ts";
import { describePhases, recipeCommands } from "../train/phases.ts";
import { displayPath, exists } from "../data/location.ts";

const EXPERIMENTS = ["ptb", "wikipedia", "handwriting", "synthesis"];
const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { checkpoint: { type: "string" }, "run-dir": { type: "string" } },
});
const experiment = positionals[0];
if (!EXPERIMENTS.includes(experiment)) {
  console.error(`usage: deno task recipe <${EXPERIMENTS.join("|")}> [--checkpoint dir] [--run-dir dir]`);
  Deno.exit(2);
}
const dir = values.checkpoint ?? shippedDir(experiment);
if (!exists(join(dir, "latest.json"))) {
  console.error(`${dir}: no checkpoint (no latest.json)`);
  Deno.exit(1);
}
const { meta: raw, step } = readCheckpointMeta(dir);
const meta = raw as Parameters<typeof describePhases>[0] & {
  experiment?: string;
  epochs?: number;
  seconds?: number;
};
if (meta.experiment && meta.experiment !== experiment) {
  console.error(`${dir} holds a ${meta.experiment} run, not ${experiment}`);
  Deno.exit(1);
}
const hours = typeof meta.seconds === "number" ? `, ${(meta.seconds / 3600).toFixed(1)} h` : "";
const epochs = typeof meta.epochs === "number" ? `, ${meta.epochs.toFixed(2)} epochs` : "";
console.log(
  `# ${displayPath(dir)}: step ${step.toLocaleString("en-US")}${epochs}${hours} (${describePhases(meta)})`,
);
const runDir = values["run-dir"] ?? `runs/recipe-${experiment}`;
for (const c of recipeCommands(experiment, meta, step, runDir)) console.log(c);
console.log(`# then: deno task eval ${experiment} --checkpoint ${runDir} --out ${runDir}.json`);
console.log(
  "# settings only: code changed since the original run is not retraced, and the weights agree up to",
);
console.log("# floating-point summation order (threads, backend)");
