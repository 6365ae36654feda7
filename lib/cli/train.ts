/**
 * `deno task train <experiment> [--profile name] [--resume] [--max-hours h]`:
 * long training runs outside notebooks, checkpointing as they go (full state
 * in `runs/`, ignored by git) and exporting the shipped float16 checkpoint to
 * `results/checkpoints/<experiment>/`.
 *
 * Experiments: ptb (profiles: paper, paper-noise, cpu, quick).
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend.ts";
import { PTB_PROFILES, trainPtb } from "../experiments/ptb.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    profile: { type: "string", default: "cpu" },
    resume: { type: "boolean", default: false },
    "max-hours": { type: "string" },
    "run-dir": { type: "string" },
  },
});
const experiment = positionals[0];
const experiments: Record<string, Record<string, unknown>> = { ptb: PTB_PROFILES };
if (!experiment || !experiments[experiment]) {
  console.error(
    `usage: deno task train <${
      Object.keys(experiments).join("|")
    }> [--profile name] [--resume] [--max-hours h]`,
  );
  Deno.exit(2);
}
const profile = PTB_PROFILES[values.profile];
if (!profile) {
  console.error(
    `unknown profile ${values.profile} for ${experiment}: ${Object.keys(PTB_PROFILES).join(", ")}`,
  );
  Deno.exit(2);
}
await initBackend();
console.log(`training ${experiment}, profile ${profile.name}: ${profile.why}`);
const r = await trainPtb(profile, {
  resume: values.resume,
  maxHours: values["max-hours"] ? Number(values["max-hours"]) : undefined,
  runDir: values["run-dir"],
});
console.log(
  `\nstopped at step ${r.step} after ${
    (r.seconds / 3600).toFixed(2)
  } h in total; ${r.skipped} steps skipped (non-finite)`,
);
