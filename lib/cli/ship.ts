/**
 * `deno task ship <experiment> <run-dir> [--to dir]`: exports
 * the latest checkpoint of a run folder (a branch of `deno task train --from`,
 * say, trained at a lower learning rate) as the experiment's shipped float16
 * checkpoint in `results/checkpoints/<experiment>/` (or `--to`: an empty
 * folder or one holding a shipped checkpoint of the same experiment; a run
 * folder is refused, never emptied), with its record and phases. Score it
 * with `deno task eval` before committing: ship what scores best on the whole
 * held-out set, never just the newest.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "../backend.ts";
import { experimentCheckpointMeta, shippedDir } from "../runs/run.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { assertShipTarget, shipCheckpoint } from "../runs/ship.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { refuseExtraArguments } from "./args.ts";
import { exitWithUsage } from "./usage.ts";
import { experimentsUsage } from "./experiments_usage.ts";
exitWithUsage(import.meta.url, Deno.args, experimentsUsage);

const EXPERIMENT_NAMES = Object.keys(EXPERIMENTS);

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { to: { type: "string" } },
});
refuseExtraArguments(positionals, 2, "one run folder is shipped at a time");
const [experiment, runDir] = positionals;
if (!EXPERIMENT_NAMES.includes(experiment) || !runDir) {
  console.error(`usage: deno task ship <${EXPERIMENT_NAMES.join("|")}> <run-dir>`);
  Deno.exit(2);
}
let latest: ReturnType<typeof experimentCheckpointMeta>;
const to = values.to ?? shippedDir(experiment);
try {
  latest = experimentCheckpointMeta(runDir, experiment);
  assertShipTarget(to, experiment); // before loading anything: a run folder or another experiment's is refused
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(1);
}
await initBackend({ quiet: true });
await shipCheckpoint(runDir, to, experiment);
console.log(`shipped ${latest.path} → ${relative(PROJECT_ROOT, to)}`);
