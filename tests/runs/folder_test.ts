/**
 * lib/runs/folder.ts: exact resumption, phases recorded as data, restarts from a float16 export, runs trained on from a weight average.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { describePhases, describeTraining } from "../../lib/runs/label.ts";
import { recipeCommands } from "../../lib/runs/recipe.ts";
import { RESTART_FROM_EXPORT, trainingRecord } from "../../lib/runs/record.ts";
import { trainInFolder } from "../../lib/runs/folder.ts";
import type { Settings } from "../../lib/runs/settings.ts";
import { averageCheckpoints } from "../../lib/runs/average.ts";
import { seedRunFromShipped, shipCheckpoint } from "../../lib/runs/ship.ts";
import { loadCheckpoint, readCheckpointMeta } from "../../lib/runs/checkpoint.ts";
import { disposeAll, resumeTextRun, textSetup } from "../helpers/train.ts";

import { RmsProp, RMSPROP_PAPER } from "../../lib/train/optimizers.ts";
import { DivergenceError } from "../../lib/train/divergence.ts";

await useProjectBackend();

for (
  const [what, noise] of [
    ["weight noise", { weightNoise: 0.05 }],
    ["adaptive weight noise", { adaptiveNoise: { sequences: 40 }, evalEvery: 3, evaluate: () => ({}) }],
    ["adaptive weight noise, log σ by its own RMSProp", {
      adaptiveNoise: { sequences: 40, learningRate: 1e-2, epsilon: 1e-8 },
      evalEvery: 3,
      evaluate: () => ({}),
    }],
  ] as const
) {
  Deno.test(`a run stopped mid-way (stop(), as on Ctrl-C) and resumed ends with exactly the weights of an uninterrupted one (${what})`, async () => {
    const dirA = await Deno.makeTempDir(), dirB = await Deno.makeTempDir();
    const a = textSetup();
    const whole = await trainInFolder({
      vars: a.vars,
      optimizer: a.opt,
      task: a.task,
      totalSteps: 9,
      seed: 5,
      checkpointDir: dirA,
      ...noise,
    });
    const b1 = textSetup();
    let asked = 0;
    const cut = await trainInFolder({
      vars: b1.vars,
      optimizer: b1.opt,
      task: b1.task,
      totalSteps: 9,
      seed: 5,
      checkpointDir: dirB,
      stop: () => ++asked === 4, // as Ctrl-C during step 4: stop there, checkpointed
      ...noise,
    });
    assert.equal(cut.step, 4);
    disposeAll(b1.vars, b1.opt.slots(), b1.task.stateTensors());
    const b2 = textSetup(99); // different init: everything must come from the checkpoint (σ too)
    const r = await trainInFolder({
      vars: b2.vars,
      optimizer: b2.opt,
      task: b2.task,
      totalSteps: 9,
      seed: 5,
      checkpointDir: dirB,
      resume: true,
      ...noise,
    });
    assert.equal(r.resumedFrom, 4);
    assert.equal(r.history.length, 9);
    for (const k of Object.keys(a.vars)) assert.deepEqual(b2.vars[k].dataSync(), a.vars[k].dataSync(), k);
    if ("adaptiveNoise" in noise) {
      assert.deepEqual(r.evals.map((e) => e.complexity_nats), whole.evals.map((e) => e.complexity_nats));
      assert.ok(whole.evals.every((e) => e.complexity_nats > 0), "L_C is recorded at each evaluation");
      // σ's slots: in the network's optimiser, or in its own (the loop's), restored all the same (b2 is fresh)
      const own = "learningRate" in noise.adaptiveNoise;
      assert.equal(Object.keys(a.opt.slots()).some((k) => k.includes("awn/")), !own, "σ's optimiser slots");
    }
    disposeAll(a.vars, a.opt.slots(), a.task.stateTensors(), b2.vars, b2.opt.slots(), b2.task.stateTensors());
  });
}
Deno.test("a resumed run records each setting it was trained under as a phase from its first step", async () => {
  const dir = await Deno.makeTempDir();
  const run = (totalSteps: number, phase: { profile: string; settings: Settings }) =>
    resumeTextRun(dir, totalSteps, phase);
  const paper = { profile: "paper", settings: {} };
  assert.deepEqual((await run(3, paper)).phases, [{ fromStep: 0, ...paper }]);
  assert.deepEqual((await run(5, paper)).phases, [{ fromStep: 0, ...paper }], "same setting: same phase");
  const lower = { profile: "paper", settings: { learningRate: 2.5e-5 } };
  const want = [{ fromStep: 0, ...paper }, { fromStep: 5, ...lower }];
  assert.deepEqual((await run(7, lower)).phases, want);
  const ck = await loadCheckpoint(dir);
  assert.deepEqual(ck.meta.phases, want, "the checkpoint carries them, as data");
  assert.equal(
    describePhases({ phases: [...want, { fromStep: 9, ...paper }] }),
    "profile paper; from step 5 with learning rate 2.5e-5; from step 9 with the profile's own settings",
  );
  // Records from before phases held data: their --set strings, old names included, become settings.
  const legacy = [{ fromStep: 0, profile: "paper", set: [] }, {
    fromStep: 5,
    profile: "paper",
    set: ["optimizer.hyper.gimel=2.5e-5"],
  }];
  assert.deepEqual(trainingRecord({ phases: legacy }).phases, want);
  assert.equal(describePhases({ profile: { name: "cpu" } }), "profile cpu", "checkpoints from before phases");
  // deno task recipe: each phase one command, stopping where the next begins.
  assert.deepEqual(recipeCommands("ptb", { phases: [...want, { fromStep: 9, ...paper }] }, 12, "runs/r"), [
    "deno task train ptb --profile paper --run-dir runs/r --no-ship --until-step 5",
    "deno task train ptb --profile paper --run-dir runs/r --no-ship --resume --set learningRate=2.5e-5 --until-step 9",
    "deno task train ptb --profile paper --run-dir runs/r --no-ship --resume --until-step 12",
  ]);
  assert.deepEqual(recipeCommands("ptb", { profile: { name: "cpu" } }, 40, "r"), [
    "deno task train ptb --profile cpu --run-dir r --no-ship --until-step 40",
  ]);
  tf.dispose(Object.values(ck.tensors));
});
Deno.test("a run restarted from a shipped float16 export records it, retraces it, and thins only its new rows", async () => {
  const [runA, exported, runB] = [
    await Deno.makeTempDir(),
    await Deno.makeTempDir(),
    await Deno.makeTempDir(),
  ];
  const paper = { profile: "paper", settings: {} };
  const run = (dir: string, totalSteps: number) => resumeTextRun(dir, totalSteps, paper);
  await run(runA, 45);
  await shipCheckpoint(runA, exported);
  const shipped = readCheckpointMeta(exported).meta.history as { step: number; loss: number }[];
  assert.deepEqual(
    shipped.map((r) => r.step),
    [20, 40],
    "blocks of 20 steps; the one stopped inside left out",
  );
  await seedRunFromShipped(exported, runB);
  const restarted = [{ fromStep: 0, ...paper }, { fromStep: 45, ...paper, restart: RESTART_FROM_EXPORT }];
  assert.deepEqual((await run(runB, 50)).phases, restarted, "no optimiser state: a restart, same settings");
  assert.deepEqual((await run(runB, 62)).phases, restarted, "resumed with its own state: the same phase");
  assert.equal(
    describePhases({ phases: restarted }),
    `profile paper; from step 45, restarted from the ${RESTART_FROM_EXPORT}, with the profile's own settings`,
  );
  assert.deepEqual(recipeCommands("ptb", { phases: restarted }, 62, "runs/r"), [
    "deno task train ptb --profile paper --run-dir runs/r --no-ship --until-step 45",
    "deno task ship ptb runs/r --to runs/r-f16",
    "deno task train ptb --profile paper --run-dir runs/r-r --no-ship --from runs/r-f16 --until-step 62",
  ]);
  // The thinned rows pass through; the new ones are averaged in blocks of 20 steps.
  await shipCheckpoint(runB, exported);
  const again = readCheckpointMeta(exported).meta.history as { step: number; loss: number }[];
  assert.deepEqual(again.map((r) => r.step), [20, 40, 60]);
  assert.deepEqual(again.slice(0, 2), shipped);
  const ownRows = (readCheckpointMeta(runB).meta.history as { step: number; loss: number }[]).slice(
    2,
    17,
  );
  assert.deepEqual(ownRows.map((r) => r.step), [46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
  assert.ok(Math.abs(again[2].loss - ownRows.reduce((a, r) => a + r.loss, 0) / ownRows.length) < 1e-12);
});
Deno.test("a run trained on from a weight average names the average in its label, keeps it on resume and retraces it", async () => {
  const [a, b, c] = [await Deno.makeTempDir(), await Deno.makeTempDir(), await Deno.makeTempDir()];
  const avg = join(await Deno.makeTempDir(), "avg");
  const paper = { profile: "paper", settings: {} };
  const lower = { profile: "paper", settings: { learningRate: 2.5e-5 } };
  const noise = { profile: "paper", settings: { weightNoise: 0.075 } };
  await resumeTextRun(a, 4, paper);
  await seedRunFromShipped(a, b); // --from: a branch at step 4
  await resumeTextRun(b, 6, lower);
  await averageCheckpoints([b, a], avg); // b first: its step (6), phases and state
  await seedRunFromShipped(avg, c);
  const r = await resumeTextRun(c, 8, noise);
  const members = [{ step: 6, phases: [{ fromStep: 0, ...paper }, { fromStep: 4, ...lower }] }, {
    step: 4,
    phases: [{ fromStep: 0, ...paper }],
  }];
  assert.equal(r.continues?.step, 6);
  assert.deepEqual(r.continues?.average.members.map((m) => ({ step: m.step, phases: m.phases })), members);
  await resumeTextRun(c, 9, noise);
  const meta = trainingRecord(readCheckpointMeta(c).meta);
  assert.deepEqual(meta.continues, r.continues, "a later resume keeps it");
  assert.equal(
    describePhases(meta),
    "weight average of 2 runs (profile paper): step 6 (from step 4 with learning rate 2.5e-5), step 4; then from step 6 with weight noise σ 0.075",
  );
  assert.equal(
    describeTraining(meta),
    `${meta.epochs!.toFixed(2)} epochs, 0.0 h of training in all (${describePhases(meta)})`,
    "the average's hours and epochs, and on",
  );
  const t = "deno task train ptb --profile paper --run-dir runs/r";
  assert.deepEqual(recipeCommands("ptb", meta, 9, "runs/r"), [
    `${t}-avg-trunk --no-ship --until-step 4`,
    `${t}-avg-1 --no-ship --from runs/r-avg-trunk --set learningRate=2.5e-5 --until-step 6`,
    `${t}-avg-2 --no-ship --from runs/r-avg-trunk --until-step 4`,
    "deno task average ptb --out runs/r-avg runs/r-avg-1 runs/r-avg-2",
    `${t} --no-ship --from runs/r-avg --set weightNoise=0.075 --until-step 9`,
  ]);
  // trained on under its first run's last settings: that phase, from the average's step
  const same = { ...meta, phases: meta.phases!.slice(0, 2) };
  assert.match(describePhases(same), /; then from step 6 with learning rate 2\.5e-5$/);
  const other = {
    ...meta,
    phases: [...meta.phases!.slice(0, 2), { fromStep: 6, profile: "paper-noise", settings: {} }],
  };
  assert.match(
    describePhases(other),
    /; then from step 6 profile paper-noise with the profile's own settings$/,
  );
  const out = join(await Deno.makeTempDir(), "swa");
  await assert.rejects(
    averageCheckpoints([c, a], out),
    /not trained on from the weight average the first run continues/,
  );
  // snapshots of the run since: an average that continues the average
  await averageCheckpoints([c, join(c, "step-00000008")], out);
  const swa = trainingRecord(readCheckpointMeta(out).meta);
  assert.equal(
    describePhases(swa),
    "weight average of 2 runs (continuing a weight average of 2 runs (profile paper): step 6 (from step 4 with learning rate 2.5e-5), step 4; then from step 6 with weight noise σ 0.075): steps 9 and 8",
  );
  assert.equal(
    describeTraining(swa),
    `weight average of 2 runs, ${swa.epochs!.toFixed(2)} epochs, 0.0 h of training in all (${
      describePhases(swa).replace(/^weight average of 2 runs \((.*)\): steps 9 and 8$/, "$1: steps 9 and 8")
    })`,
  );
  assert.deepEqual(recipeCommands("ptb", swa, 9, "runs/r").slice(4), [
    `${t}-trunk --no-ship --from runs/r-avg --set weightNoise=0.075 --until-step 8`,
    `${t}-2 --no-ship --from runs/r-trunk --set weightNoise=0.075 --until-step 8`,
    `${t}-trunk --no-ship --resume --set weightNoise=0.075 --until-step 9`,
    `${t}-1 --no-ship --from runs/r-trunk --set weightNoise=0.075 --until-step 9`,
    "deno task average ptb --out runs/r runs/r-1 runs/r-2",
  ]);
});

Deno.test("divergence: an absurd learning rate stops the run at its step, exits by error, keeps the last good checkpoint", async () => {
  const dir = await Deno.makeTempDir();
  const good = textSetup();
  await trainInFolder({
    vars: good.vars,
    optimizer: good.opt,
    task: good.task,
    totalSteps: 3,
    checkpointDir: dir,
  });
  disposeAll(good.vars, good.opt.slots(), good.task.stateTensors());
  const bad = textSetup();
  const wild = new RmsProp({ ...RMSPROP_PAPER, learningRate: 1e38 });
  await assert.rejects(
    () =>
      trainInFolder({
        vars: bad.vars,
        optimizer: wild,
        task: bad.task,
        totalSteps: 9,
        checkpointDir: dir,
        checkpointEvery: 1,
        resume: true,
      }),
    (e: unknown) =>
      e instanceof DivergenceError && e.step === 4 && /NaN or infinite/.test(e.message) &&
      /its checkpoint of step 3 is kept/.test(e.message),
  );
  const ck = await loadCheckpoint(dir);
  assert.equal(ck.step, 3, "nothing after the divergence was written");
  assert.ok(Object.values(ck.tensors).every((t) => t.dataSync().every(Number.isFinite)));
  tf.dispose(Object.values(ck.tensors));
  disposeAll(bad.vars, wild.slots(), bad.task.stateTensors());
});

Deno.test("resume means the same run: other data or another model is refused by name; an empty folder starts at step 0", async () => {
  const dir = await Deno.makeTempDir();
  const meta = { vocab: ["a", "b"], profile: { model: { cells: 4 } } };
  const same = { vocab: ["a", "b"], "profile.model": { cells: 4 } };
  const s = textSetup();
  const o = { vars: s.vars, optimizer: s.opt, task: s.task, checkpointDir: dir, meta, sameRun: same };
  const fresh = await trainInFolder({ ...o, totalSteps: 2, resume: true });
  assert.equal(
    fresh.resumedFrom,
    undefined,
    "no checkpoint to resume: from step 0, never seeded from elsewhere",
  );
  assert.equal((await trainInFolder({ ...o, totalSteps: 3, resume: true })).resumedFrom, 2);
  await assert.rejects(
    () => trainInFolder({ ...o, totalSteps: 4, resume: true, sameRun: { ...same, vocab: ["a", "b", "c"] } }),
    /holds another run: vocab was \["a","b"\], now \["a","b","c"\]/,
  );
  await assert.rejects(
    () =>
      trainInFolder({
        ...o,
        totalSteps: 4,
        resume: true,
        sameRun: { ...same, "profile.model": { cells: 8 } },
      }),
    /profile\.model was \{"cells":4\}, now \{"cells":8\}/,
  );
  disposeAll(s.vars, s.opt.slots(), s.task.stateTensors());
});
