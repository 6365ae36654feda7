/**
 * `deno task train <experiment> [--profile name] [--set name=value]... [--reason text] [--resume] [--max-hours h] [--until-step n] [--keep-every n] [--ship-every-min m] [--no-ship] [--from dir --run-dir new]`:
 * long training runs outside notebooks, checkpointing as they go (full state
 * in `runs/`, ignored by git) and exporting the shipped float16 checkpoint to
 * `results/checkpoints/<experiment>/`.
 *
 * Experiments and profiles: ptb (paper, paper-noise, paper-awn, cpu, cpu-awn,
 * quick), handwriting and synthesis (paper, paper-awn, quick), wikipedia
 * (paper, cpu, quick). `--set` changes one setting of the profile (e.g.
 * `--set learningRate=3e-4`, by the readable names of `lib/runs/settings.ts`,
 * each with the paper's symbol); a resumed run records such changes as
 * phases (`lib/runs/record.ts`), with `--reason "…"` saying why.
 *
 * An A/B comparison branches a run: `--from runs/synthesis-paper --run-dir
 * runs/ab-low --set learningRate=2.5e-5 --set epochs=5.87` continues a
 * copy of the run (optimiser state and data position included) in a new
 * folder, never shipped (`--from` also takes a step folder, a snapshot such as
 * `runs/r/step-00009500`); `deno task eval synthesis --checkpoint runs/ab-low
 * --out f.json` then scores it. `--until-step n` stops at step n (where a
 * recipe changes a setting: `deno task recipe <experiment>` prints the
 * commands that retrace a checkpoint's phases). `--keep-every n` keeps the
 * checkpoints at multiples of n steps (checkpoints come every 100 steps in
 * the paper profiles) besides the newest two: snapshots of one run to average
 * with `deno task average <experiment> --out runs/avg runs/r/step-00073000 …`.
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { applySettings, parseSettings, type Settings } from "../runs/settings.ts";
import type { FolderResult } from "../runs/folder.ts";
import { refuseExtraArguments } from "./args.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    profile: { type: "string" },
    resume: { type: "boolean", default: false },
    "max-hours": { type: "string" },
    "run-dir": { type: "string" },
    "ship-every-min": { type: "string", default: "20" },
    set: { type: "string", multiple: true, default: [] },
    "no-ship": { type: "boolean", default: false },
    from: { type: "string" },
    "until-step": { type: "string" },
    "keep-every": { type: "string" },
    reason: { type: "string" },
  },
});
refuseExtraArguments(positionals, 1, "the run folder is given as --run-dir dir (with --resume to go on)");
const ex = EXPERIMENTS[positionals[0]];
if (!ex) {
  console.error(
    `usage: deno task train <${
      Object.keys(EXPERIMENTS).join("|")
    }> [--profile name] [--set path=value]... [--resume] [--max-hours h]`,
  );
  Deno.exit(2);
}
const named = ex.profiles[values.profile ?? ex.defaultProfile];
if (!named) {
  console.error(
    `unknown profile ${values.profile} for ${positionals[0]}: ${Object.keys(ex.profiles).join(", ")}`,
  );
  Deno.exit(2);
}
let profile = named, settings: Settings = {};
try {
  settings = parseSettings(values.set);
  profile = applySettings(named, settings);
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(2);
}
await initBackend();
// Ctrl-C (or SIGTERM) finishes the current step, writes a checkpoint and ships it; a second one quits at once.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    if (stopping) Deno.exit(130);
    stopping = true;
    console.log(`\n${signal}: stopping after this step (checkpoint, then ship); again to quit at once`);
  });
}
console.log(
  `training ${positionals[0]}, profile ${profile.name}${
    Object.keys(settings).length
      ? ` with ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(", ")}`
      : ""
  }: ${profile.why}`,
);
if (values.from && !values["run-dir"]) {
  console.error("--from branches a run into a new folder: give it one with --run-dir");
  Deno.exit(2);
}
/** A flag that takes a step count ≥ 1 (undefined when not given); anything else exits with a usage error. */
function stepsFlag(flag: "until-step" | "keep-every", what: string): number | undefined {
  const n = values[flag] === undefined ? undefined : Number(values[flag]);
  if (n !== undefined && !(Number.isInteger(n) && n > 0)) {
    console.error(`--${flag} ${values[flag]}: expected ${what} ≥ 1`);
    Deno.exit(2);
  }
  return n;
}
const untilStep = stepsFlag("until-step", "a step number");
const keepEvery = stepsFlag("keep-every", "a number of steps");
let r: FolderResult;
try {
  r = await ex.train(profile, {
    resume: values.resume,
    maxHours: values["max-hours"] ? Number(values["max-hours"]) : undefined,
    runDir: values["run-dir"],
    shipEveryMinutes: Number(values["ship-every-min"]),
    ship: values["no-ship"] || values.from ? false : undefined,
    stop: () => stopping,
    settings,
    reason: values.reason,
    from: values.from,
    untilStep,
    keepEvery,
  });
} catch (e) {
  console.error((e as Error).message); // a bad folder or bad data: the message names it
  Deno.exit(1);
}
console.log(
  `\nstopped at step ${r.step} after ${
    (r.seconds / 3600).toFixed(2)
  } h in total; ${r.skipped} steps skipped (non-finite)`,
);
