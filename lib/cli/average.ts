/**
 * `deno task average <experiment> --out <new-run-dir> <run-dir|step-dir> <run-dir|step-dir>...`:
 * the uniform mean of the weights of several runs branched from one training
 * run (step downs of the learning rate from different points, say), or of
 * snapshots along one run (its step folders, kept by `deno task train
 * --keep-every n`: stochastic weight averaging), written as a run folder of
 * its own (`lib/runs/average.ts`). Not in the paper:
 * score it with `deno task eval <experiment> --checkpoint <new-run-dir>`, and
 * ship it (`deno task ship`) only where it beats every run that went into it;
 * its record lists them and `deno task recipe` retraces them.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { initBackend } from "../backend.ts";
import { experimentCheckpointMeta } from "../runs/run.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { averageCheckpoints } from "../runs/average.ts";
import { describeTraining } from "../runs/label.ts";
import { trainingRecord } from "../runs/record.ts";
import { exitWithUsage } from "./usage.ts";
import { experimentsUsage } from "./experiments_usage.ts";
exitWithUsage(import.meta.url, Deno.args, experimentsUsage);

const EXPERIMENT_NAMES = Object.keys(EXPERIMENTS);

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { out: { type: "string" } },
});
const [experiment, ...runs] = positionals;
if (!EXPERIMENT_NAMES.includes(experiment) || !values.out || runs.length < 2) {
  console.error(
    `usage: deno task average <${
      EXPERIMENT_NAMES.join("|")
    }> --out <new-run-dir> <run-dir|step-dir> <run-dir|step-dir>...`,
  );
  Deno.exit(2);
}
try {
  for (const run of runs) experimentCheckpointMeta(run, experiment);
  await initBackend({ quiet: true });
  const { path, meta } = await averageCheckpoints(runs, values.out);
  console.log(`${path}: ${describeTraining(trainingRecord(meta))}`);
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(1);
}
