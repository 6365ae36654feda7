/**
 * `deno task train <experiment> [--profile name] [--set name=value]... [--reason text] [--resume[=last-good] | --restart] [--max-hours h] [--until-step n] [--keep-every n] [--ship-every-min m] [--no-ship] [--from dir --run-dir new]`:
 * long training runs outside notebooks, checkpointing as they go (full state
 * in `runs/`, ignored by git; a folder that already holds a run is refused
 * unless `--resume` goes on with it or `--restart` starts it again from step
 * 0) and exporting the shipped float16 checkpoint to
 * `results/checkpoints/<experiment>/`.
 *
 * The experiments and their profiles are listed below (from the registry).
 * `--set` changes one setting of the profile (e.g.
 * `--set learningRate=3e-4`, by the readable names of `lib/runs/settings.ts`,
 * each with the paper's symbol); a resumed run records such changes as
 * phases (`lib/runs/record.ts`), with `--reason "…"` saying why.
 *
 * An A/B comparison branches a run: `--from runs/<experiment>-paper --run-dir
 * runs/ab-low --set learningRate=2.5e-5 --set epochs=5.87` continues a
 * copy of the run (optimiser state and data position included) in a new
 * folder, never shipped (`--from` also takes a step folder, a snapshot such as
 * `runs/r/step-00009500`); `deno task eval <experiment> --checkpoint runs/ab-low
 * --out f.json` then scores it. `--until-step n` stops at step n (where a
 * recipe changes a setting: `deno task recipe <experiment>` prints the
 * commands that retrace a checkpoint's phases). `--keep-every n` keeps the
 * checkpoints at multiples of n steps (checkpoints come every 100 steps in
 * the paper profiles) besides the newest two: snapshots of one run to average
 * with `deno task average <experiment> --out runs/avg runs/r/step-00073000 …`.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { initBackend } from "../backend.ts";
import { EXPERIMENTS } from "../experiments/registry.ts";
import { applySettings, parseSettings, type Settings } from "../runs/settings.ts";
import type { FolderResult } from "../runs/folder.ts";
import { numberFlag, refuseExtraArguments } from "./args.ts";
import { UsageError } from "./errors.ts";
import { exitWithUsage } from "./usage.ts";
import { experimentsUsage } from "./experiments_usage.ts";
exitWithUsage(import.meta.url, Deno.args, experimentsUsage);

// `--resume=last-good`: go on from the newest intact checkpoint when the latest is damaged
const args = Deno.args.flatMap((a) => (a === "--resume=last-good" ? ["--resume", "--last-good"] : [a]));
const { values, positionals } = parseArgs({
  args,
  allowPositionals: true,
  options: {
    profile: { type: "string" },
    resume: { type: "boolean", default: false },
    restart: { type: "boolean", default: false },
    "last-good": { type: "boolean", default: false },
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
    }> [--profile name] [--set name=value]... [--resume[=last-good]] [--from dir --run-dir new] [--max-hours h]`,
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
  throw new UsageError((e as Error).message); // a typo or a value out of range: exit 2
}
const untilStep = numberFlag("until-step", values["until-step"], { integer: true, min: 1 });
const keepEvery = numberFlag("keep-every", values["keep-every"], { integer: true, min: 1 });
const maxHours = numberFlag("max-hours", values["max-hours"], { above: 0 });
const shipEveryMinutes = numberFlag("ship-every-min", values["ship-every-min"], { above: 0 });
if (values.restart && (values.resume || values.from)) {
  console.error("--restart starts a run folder again from step 0: not with --resume or --from");
  Deno.exit(2);
}
if (values.from && !values["run-dir"]) {
  console.error("--from branches a run into a new folder: give it one with --run-dir");
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
let r: FolderResult;
try {
  r = await ex.train(named, {
    resume: values.resume && values["last-good"] ? "last-good" : values.resume,
    restart: values.restart,
    maxHours,
    runDir: values["run-dir"],
    shipEveryMinutes,
    ship: values["no-ship"] || values.from ? false : undefined,
    stop: () => stopping,
    settings,
    reason: values.reason,
    from: values.from,
    untilStep,
    keepEvery,
  });
} catch (e) {
  // a bad folder, bad data, a locked folder or a diverged run: the message names it; nothing bad was written
  console.error(`error: ${(e as Error).message}`);
  Deno.exit(1);
}
console.log(
  `\nstopped at step ${r.step} after ${
    (r.seconds / 3600).toFixed(2)
  } h in total; ${r.skipped} steps skipped (non-finite)`,
);
