/**
 * A tiny training run for the fault-injection test: the tiny text model with
 * weight noise, trained to `steps` in `dir` with a checkpoint after every
 * step, resuming whatever the folder holds. `deno run -A tiny_run.ts dir steps`.
 */
import { useProjectBackend } from "./tf.ts";
import { disposeAll, textSetup } from "./train.ts";
import { trainInFolder } from "../../lib/runs/folder.ts";

await useProjectBackend();
const [dir, steps] = Deno.args;
const s = textSetup();
const r = await trainInFolder({
  vars: s.vars,
  optimizer: s.opt,
  task: s.task,
  totalSteps: Number(steps),
  weightNoise: 0.05,
  seed: 11,
  checkpointDir: dir,
  checkpointEvery: 1,
  resume: true,
});
disposeAll(s.vars, s.opt.slots(), s.task.stateTensors());
console.log(`done at step ${r.step}`);
