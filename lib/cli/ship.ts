/**
 * `deno task ship <ptb|wikipedia|handwriting|synthesis> <run-dir> [--to dir]`: exports
 * the latest checkpoint of a run folder (a branch of `deno task train --from`,
 * say, trained at a lower learning rate) as the experiment's shipped float16
 * checkpoint in `results/checkpoints/<experiment>/` (or `--to`), with its record and
 * phases. Score it with `deno task eval` before committing: ship what scores
 * best on the whole held-out set, never just the newest.
 * @module
 */
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "../backend.ts";
import { shippedDir } from "../experiments/run.ts";
import { shipCheckpoint } from "../train/ship.ts";
import { readCheckpointMeta } from "../train/checkpoint.ts";
import { exists, PROJECT_ROOT } from "../data/location.ts";

const EXPERIMENTS = ["ptb", "wikipedia", "handwriting", "synthesis"];
const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { to: { type: "string" } },
});
const [experiment, runDir] = positionals;
if (!EXPERIMENTS.includes(experiment) || !runDir) {
  console.error(`usage: deno task ship <${EXPERIMENTS.join("|")}> <run-dir>`);
  Deno.exit(2);
}
if (!exists(join(runDir, "latest.json"))) {
  console.error(`${runDir}: no checkpoint (no latest.json); train one with deno task train ${experiment}`);
  Deno.exit(1);
}
const latest = readCheckpointMeta(runDir);
const recorded = latest.meta.experiment;
if (recorded && recorded !== experiment) {
  console.error(`${runDir} holds a ${recorded} run, not ${experiment}`);
  Deno.exit(1);
}
await initBackend({ quiet: true });
const to = values.to ?? shippedDir(experiment);
await shipCheckpoint(runDir, to);
console.log(`shipped ${latest.path} → ${relative(PROJECT_ROOT, to)}`);
