/**
 * Training machinery: RMSProp against eqs 39-42 by hand, the NaN guard, tiny
 * runs that must learn, exact resumption, float16 checkpoints, no leaks.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "../lib/tf.ts";
import { useProjectBackend } from "./helpers/tf.ts";
import { RmsProp, SgdMomentum } from "../lib/train/optimizers.ts";
import { gradientRms, RmsDynamic } from "../lib/train/dynamic_rms.ts";
import { trainStep } from "../lib/train/step.ts";
import { trainLoop } from "../lib/train/loop.ts";
import {
  describePhases,
  describeTraining,
  phaseChanges,
  recipeCommands,
  RESTART_FROM_EXPORT,
  type TrainingMeta,
} from "../lib/train/phases.ts";
import { averageCheckpoints } from "../lib/train/average.ts";
import { seedRunFromShipped, shipCheckpoint } from "../lib/train/ship.ts";
import { HandwritingTask, SynthesisTask, TextStreamTask } from "../lib/train/tasks.ts";
import { StreamBatcher } from "../lib/data/streams.ts";
import { LineBatcher, type TrainingLine } from "../lib/data/lines.ts";
import { initParams, ownedVariable, variablesOf } from "../lib/nn/params.ts";
import { sampleText, TEXT_TINY, textSpecs } from "../lib/models/text.ts";
import { HANDWRITING_TINY, handwritingSpecs, sampleHandwriting } from "../lib/models/handwriting.ts";
import { SYNTHESIS_TINY, synthesisSpecs } from "../lib/models/synthesis.ts";
import { sampleSynthesis } from "../lib/models/synthesis_sample.ts";
import {
  loadCheckpoint,
  readCheckpointMeta,
  saveCheckpoint,
  toFloat16Bits,
} from "../lib/train/checkpoint.ts";
import {
  dynamicEvaluateText,
  evaluateHandwriting,
  evaluateSynthesis,
  evaluateText,
  scoreText,
} from "../lib/train/evaluate.ts";
import {
  dynamicSgd,
  PTB_DYNAMIC_LR,
  type PtbModel,
  ptbReference,
  scorePtb,
  scoreStream,
  streamOutliers,
} from "../lib/experiments/ptb_report.ts";
import type { Ptb } from "../lib/data/ptb.ts";
import { Rng } from "../lib/train/rng.ts";

await useProjectBackend();

Deno.test("RMSProp applies eqs 39-42 exactly as written", () => {
  const w = { w: tf.variable(tf.tensor1d([1, -2])) };
  const opt = new RmsProp({ aleph: 0.95, beth: 0.9, gimel: 1e-4, daleth: 1e-4 });
  let n = [0, 0], g = [0, 0], d = [0, 0], x = [1, -2];
  for (const eps of [[0.5, -1], [0.25, 2]]) {
    opt.apply(w, { w: tf.tensor1d(eps) });
    n = n.map((v, i) => 0.95 * v + 0.05 * eps[i] ** 2);
    g = g.map((v, i) => 0.95 * v + 0.05 * eps[i]);
    d = d.map((v, i) => 0.9 * v - (1e-4 * eps[i]) / Math.sqrt(n[i] - g[i] ** 2 + 1e-4));
    x = x.map((v, i) => v + d[i]);
  }
  const got = w.w.dataSync();
  x.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-6, `w[${i}] ${got[i]} vs ${v}`));
  tf.dispose([w.w, ...Object.values(opt.slots())]);
});

Deno.test("RMS dynamic evaluation: the step of Krause et al.'s rule by hand; decay returns the trained weights; the gradient RMS is measured, not leaked", () => {
  const trained = { w: tf.tensor1d([1, -2, 0.5]) };
  const rms = { w: tf.tensor1d([0.1, 0.2, 0.3]) }; // mean 0.2
  const w = { w: tf.variable(tf.tensor1d([1.5, -2, 0])) };
  const opt = new RmsDynamic({ eta: 0.01, lambda: 0.5, eps: 0.1, trainSymbols: 0 }, trained, rms);
  opt.apply(w, { w: tf.tensor1d([1, -1, 2]) });
  const want = [1.5, -2, 0].map((x, i) => {
    const r = [0.1, 0.2, 0.3][i], t0 = [1, -2, 0.5][i], g = [1, -1, 2][i];
    return x + Math.min(0.5 * r / 0.2, 1) * (t0 - x) - 0.01 * g / (r + 0.1 * 0.2);
  });
  const got = w.w.dataSync();
  want.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-6, `w[${i}] ${got[i]} vs ${v}`));
  // With no step and full decay (λ r/r̄ capped at 1) one update lands on the trained weights.
  const home = new RmsDynamic({ eta: 0, lambda: 100, eps: 0.1, trainSymbols: 0 }, trained, rms);
  home.apply(w, { w: tf.tensor1d([5, 5, 5]) });
  assert.deepEqual([...w.w.dataSync()], [1, -2, 0.5]);
  opt.dispose();
  home.dispose();
  tf.dispose([trained.w, rms.w, w.w]);
  // gradientRms: one non-negative tensor per weight, the same shapes, nothing else left behind.
  const vars = initParams(textSpecs(cfg), 3);
  const n0 = tf.memory().numTensors;
  const r = gradientRms(vars, cfg, codes, 1, 24);
  assert.deepEqual(Object.keys(r).sort(), Object.keys(vars).sort());
  for (const [k, t] of Object.entries(r)) {
    assert.deepEqual(t.shape, vars[k].shape);
    assert.ok(t.dataSync().every((v) => v >= 0) && t.dataSync().some((v) => v > 0), k);
  }
  assert.equal(tf.memory().numTensors, n0 + Object.keys(r).length, "gradientRms leaked tensors");
  disposeAll(r, vars);
});

Deno.test("a non-finite loss never reaches the weights", () => {
  const vars = { w: tf.variable(tf.tensor1d([1, 2])) };
  const opt = new SgdMomentum(0.1, 0.9);
  const r = trainStep(vars, (p) => tf.sum(tf.log(tf.sub(p.w, 5))) as tf.Scalar, opt); // log of negatives: NaN
  assert.equal(r.skipped, true);
  assert.deepEqual([...vars.w.dataSync()], [1, 2]);
  const ok = trainStep(vars, (p) => tf.sum(tf.square(p.w)) as tf.Scalar, opt);
  assert.equal(ok.skipped, false);
  assert.notDeepEqual([...vars.w.dataSync()], [1, 2]);
  tf.dispose([vars.w, ...Object.values(opt.slots())]);
});

const text = "the cat sat on the mat. ";
const codes = Uint8Array.from([...text.repeat(40)].map((ch) => " .acehmnost".indexOf(ch)));
const cfg = { ...TEXT_TINY, symbols: 11 };

function textSetup(seed = 3) {
  const vars = initParams(textSpecs(cfg), seed);
  const task = new TextStreamTask(cfg, new StreamBatcher(codes, 4, 24));
  return { vars, task, opt: new RmsProp({ aleph: 0.95, beth: 0.9, gimel: 3e-3, daleth: 1e-4 }) };
}
const disposeAll = (...r: Record<string, tf.Tensor>[]) => r.forEach((x) => tf.dispose(Object.values(x)));

Deno.test("the text model overfits a short string to near-zero bits per character", async () => {
  const { vars, task, opt } = textSetup();
  const r = await trainLoop({ vars, optimizer: opt, task, totalSteps: 250 });
  const bpc = evaluateText(vars, cfg, codes, 4, 24);
  assert.ok(r.history[0].loss > 2.5, `initial loss ${r.history[0].loss}`);
  assert.ok(bpc < 0.15, `final BPC ${bpc}`);
  // The trained model continues the pattern; dynamic evaluation does not touch the weights.
  const sample = [...sampleText(vars, cfg, codes.subarray(0, 8), 16, new Rng(1), 0.1)].map((c) =>
    " .acehmnost"[c]
  ).join("");
  assert.equal(sample, text.repeat(2).slice(8, 24));
  // Per-stream scores: scramble the third of 4 parallel streams; only it scores badly, and is flagged.
  const mixed = codes.slice(), L = Math.floor(codes.length / 4), rng = new Rng(9);
  for (let i = 2 * L; i < 3 * L; i++) mixed[i] = Math.floor(rng.next() * 11);
  const per = scoreText(vars, cfg, mixed, 4, 24);
  assert.ok(per.streams[2] > 2 && [0, 1, 3].every((k) => per.streams[k] < 0.3), per.streams.join());
  assert.ok(Math.abs(per.bpc - per.streams.reduce((a, b) => a + b) / 4) < 1e-9, "the mean of the streams");
  assert.deepEqual(streamOutliers(per.streams).outliers.map((o) => o.stream), [2]);
  assert.deepEqual(streamOutliers([1, 1.2, 1.1, 5, 0.9]), { median: 1.1, outliers: [{ stream: 3, bpc: 5 }] });
  assert.equal(streamOutliers([1, 2, 3, 10]).median, 2.5);
  const before = vars["out.W"].dataSync().slice();
  const n0 = tf.memory().numTensors, sgd = new SgdMomentum(1e-3, 0.9);
  const dyn = dynamicEvaluateText(vars, cfg, codes, sgd, 4, 24);
  tf.dispose(Object.values(sgd.slots()));
  assert.equal(tf.memory().numTensors, n0, "dynamic evaluation leaked tensors");
  assert.ok(Number.isFinite(dyn) && dyn < 0.3, `dynamic BPC ${dyn}`);
  assert.deepEqual(vars["out.W"].dataSync(), before);
  // Dynamic evaluation's rate: the paper's 1e−4 per sequence, for PTB once for each of the 32 streams a step scores.
  assert.deepEqual(dynamicSgd().hyper, { lr: 1e-4, momentum: 0 });
  // The rate reaches the optimiser: at 0 the dynamic pass scores as the static one; PTB's scorer uses PTB_DYNAMIC_LR.
  const m = { params: vars, config: cfg } as unknown as PtbModel;
  const still = scoreStream(m, codes, { B: 4, dynamicLr: 0 });
  assert.ok(Math.abs(still.dynamic! - still.static) < 1e-4, `${still.dynamic} vs ${still.static}`);
  const ptb = scorePtb(m, { test: codes } as unknown as Ptb, { B: 4 });
  assert.equal(ptb.dynamic, scoreStream(m, codes, { B: 4, dynamicLr: PTB_DYNAMIC_LR }).dynamic);
  assert.notEqual(ptb.dynamic, still.dynamic);
  disposeAll(vars, opt.slots(), task.stateTensors());
});

for (
  const [what, noise] of [
    ["weight noise", { weightNoise: 0.05 }],
    ["adaptive weight noise", { adaptiveNoise: { sequences: 40 }, evalEvery: 3, evaluate: () => ({}) }],
  ] as const
) {
  Deno.test(`a run stopped mid-way (stop(), as on Ctrl-C) and resumed ends with exactly the weights of an uninterrupted one (${what})`, async () => {
    const dirA = await Deno.makeTempDir(), dirB = await Deno.makeTempDir();
    const a = textSetup();
    const whole = await trainLoop({
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
    const cut = await trainLoop({
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
    const r = await trainLoop({
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
      assert.ok(Object.keys(a.opt.slots()).some((k) => k.includes("awn/")), "σ has optimiser slots");
    }
    disposeAll(a.vars, a.opt.slots(), a.task.stateTensors(), b2.vars, b2.opt.slots(), b2.task.stateTensors());
  });
}

/** Trains the tiny text model to `totalSteps` in `dir` under `phase`, resuming whatever the folder holds. */
async function resumeTextRun(dir: string, totalSteps: number, phase: Record<string, unknown>) {
  const s = textSetup();
  const r = await trainLoop({
    vars: s.vars,
    optimizer: s.opt,
    task: s.task,
    totalSteps,
    checkpointDir: dir,
    resume: true,
    phase,
  });
  disposeAll(s.vars, s.opt.slots(), s.task.stateTensors());
  return r;
}

Deno.test("a resumed run records each setting it was trained under as a phase from its first step", async () => {
  const dir = await Deno.makeTempDir();
  const run = (totalSteps: number, phase: Record<string, unknown>) => resumeTextRun(dir, totalSteps, phase);
  const paper = { profile: "paper", set: [] };
  assert.deepEqual((await run(3, paper)).phases, [{ fromStep: 0, ...paper }]);
  assert.deepEqual((await run(5, paper)).phases, [{ fromStep: 0, ...paper }], "same setting: same phase");
  const lower = { profile: "paper", set: ["optimizer.hyper.gimel=2.5e-5"] };
  const want = [{ fromStep: 0, ...paper }, { fromStep: 5, ...lower }];
  assert.deepEqual((await run(7, lower)).phases, want);
  const ck = await loadCheckpoint(dir);
  assert.deepEqual(ck.meta.phases, want, "the checkpoint carries them");
  assert.equal(
    describePhases({ phases: [...want, { fromStep: 9, ...paper }] }),
    "profile paper; from step 5 with optimizer.hyper.gimel=2.5e-5; from step 9 with the profile's own settings",
  );
  assert.equal(describePhases({ profile: { name: "cpu" } }), "profile cpu", "checkpoints from before phases");
  // deno task recipe: each phase one command, stopping where the next begins.
  assert.deepEqual(recipeCommands("ptb", { phases: [...want, { fromStep: 9, ...paper }] }, 12, "runs/r"), [
    "deno task train ptb --profile paper --run-dir runs/r --no-ship --until-step 5",
    "deno task train ptb --profile paper --run-dir runs/r --no-ship --resume --set optimizer.hyper.gimel=2.5e-5 --until-step 9",
    "deno task train ptb --profile paper --run-dir runs/r --no-ship --resume --until-step 12",
  ]);
  assert.deepEqual(recipeCommands("ptb", { profile: { name: "cpu" } }, 40, "r"), [
    "deno task train ptb --profile cpu --run-dir r --no-ship --until-step 40",
  ]);
  tf.dispose(Object.values(ck.tensors));
});

Deno.test("phaseChanges: where training changed, in short, for the learning curves", () => {
  const cpu = { profile: "cpu", set: ["optimizer.hyper.daleth=1e-8"] };
  const lower = { profile: "cpu", set: [...cpu.set, "optimizer.hyper.gimel=2.5e-5", "epochs=10"] };
  const noise = { profile: "cpu", set: [...cpu.set, "weightNoise=0.075", "evalEvery=250", "epochs=20"] };
  const phases = [{ fromStep: 0, ...cpu }, { fromStep: 13, ...lower }, { fromStep: 14, ...noise }];
  assert.deepEqual(phaseChanges({ phases }), [
    { step: 13, label: "gimel=2.5e-5" },
    { step: 14, label: "weightNoise=0.075, gimel as profile" },
  ]);
  const average = {
    members: [{ step: 14, phases: phases.slice(0, 2) }, { step: 12, phases: phases.slice(0, 1) }],
  };
  assert.deepEqual(phaseChanges({ phases, continues: { step: 14, average } })[1], {
    step: 14,
    label: "weight average of 2 runs, weightNoise=0.075, gimel as profile",
  });
  assert.deepEqual(phaseChanges({ phases, average }), [], "an average has no one timeline");
  const bookkeeping = { fromStep: 20, ...noise, set: [...noise.set, "epochs=25"] };
  const restart = { ...bookkeeping, fromStep: 30, restart: RESTART_FROM_EXPORT, profile: "paper" };
  assert.deepEqual(phaseChanges({ phases: [...phases, bookkeeping, restart] }).slice(2), [
    { step: 30, label: "profile paper, optimiser state reset" },
  ], "epochs and evalEvery change no learning");
});

Deno.test("ptbReference: the paper's static row for the network's regularisation, the unregularised beside it", () => {
  assert.deepEqual(ptbReference("weight noise"), {
    y: 1.27,
    label: "paper, test, weight noise: 1.27 (none: 1.32)",
  });
  assert.deepEqual(ptbReference("none"), { y: 1.32, label: "paper, test, none: 1.32" });
  assert.throws(() => ptbReference("dropout"), /no Table 1 row "dropout"/);
});

Deno.test("a run restarted from a shipped float16 export records it, retraces it, and thins only its new rows", async () => {
  const [runA, exported, runB] = [
    await Deno.makeTempDir(),
    await Deno.makeTempDir(),
    await Deno.makeTempDir(),
  ];
  const paper = { profile: "paper", set: [] };
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
  const paper = { profile: "paper", set: [] };
  const lower = { profile: "paper", set: ["optimizer.hyper.gimel=2.5e-5"] };
  const noise = { profile: "paper", set: ["weightNoise=0.075"] };
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
  const meta = readCheckpointMeta(c).meta as TrainingMeta;
  assert.deepEqual(meta.continues, r.continues, "a later resume keeps it");
  assert.equal(
    describePhases(meta),
    "weight average of 2 runs (profile paper): step 6 (from step 4 with optimizer.hyper.gimel=2.5e-5), step 4; then from step 6 with weightNoise=0.075",
  );
  assert.equal(
    describeTraining(meta),
    `${meta.epochs!.toFixed(2)} epochs, 0.0 h of training in all (${describePhases(meta)})`,
    "the average's hours and epochs, and on",
  );
  const t = "deno task train ptb --profile paper --run-dir runs/r";
  assert.deepEqual(recipeCommands("ptb", meta, 9, "runs/r"), [
    `${t}-avg-trunk --no-ship --until-step 4`,
    `${t}-avg-1 --no-ship --from runs/r-avg-trunk --set optimizer.hyper.gimel=2.5e-5 --until-step 6`,
    `${t}-avg-2 --no-ship --from runs/r-avg-trunk --until-step 4`,
    "deno task average ptb --out runs/r-avg runs/r-avg-1 runs/r-avg-2",
    `${t} --no-ship --from runs/r-avg --set weightNoise=0.075 --until-step 9`,
  ]);
  // trained on under its first run's last settings: that phase, from the average's step
  const same = { ...meta, phases: meta.phases!.slice(0, 2) };
  assert.match(describePhases(same), /; then from step 6 with optimizer\.hyper\.gimel=2\.5e-5$/);
  const other = {
    ...meta,
    phases: [...meta.phases!.slice(0, 2), { fromStep: 6, profile: "paper-noise", set: [] }],
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
  const swa = readCheckpointMeta(out).meta as TrainingMeta;
  assert.equal(
    describePhases(swa),
    "weight average of 2 runs (continuing a weight average of 2 runs (profile paper): step 6 (from step 4 with optimizer.hyper.gimel=2.5e-5), step 4; then from step 6 with weightNoise=0.075): steps 9 and 8",
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

Deno.test("checkpoints: atomic latest pointer, float16 export within half precision", async () => {
  const dir = await Deno.makeTempDir();
  assert.deepEqual([...toFloat16Bits(Float32Array.from([1, -2, 65504, 1e-8, 0.1]))], [
    0x3c00,
    0xc000,
    0x7bff,
    0,
    0x2e66,
  ]);
  const t = { "param/w": tf.tensor2d([[0.1, -0.25], [3.5, 1e-3]]), "state/h0": tf.tensor1d([0.3]) };
  await saveCheckpoint(dir, 7, t, { note: "x" }, { float16: true });
  await saveCheckpoint(dir, 8, t, { note: "y" }, { float16: true });
  await saveCheckpoint(dir, 9, t, { note: "z" }, { float16: true });
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
    "latest.json",
    "step-00000008",
    "step-00000009",
  ]);
  const ck = await loadCheckpoint(dir);
  assert.equal(ck.meta.note, "z");
  const w = ck.tensors["param/w"].dataSync();
  [0.1, -0.25, 3.5, 1e-3].forEach((v, i) =>
    assert.ok(Math.abs(w[i] - v) <= 1e-3 * Math.abs(v) + 1e-7, `${w[i]} vs ${v}`)
  );
  assert.deepEqual([...ck.tensors["state/h0"].dataSync()], [Math.fround(0.3)]); // state stays float32
  tf.dispose([...Object.values(t), ...Object.values(ck.tensors)]);
});

Deno.test("checkpoints: keepEvery keeps the snapshots at its multiples besides the newest two", async () => {
  const dir = await Deno.makeTempDir();
  const t = { "param/w": tf.tensor1d([1, 2]) };
  for (let step = 1; step <= 8; step++) await saveCheckpoint(dir, step, t, {}, { keepEvery: 3 });
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
    "latest.json",
    "step-00000003",
    "step-00000006",
    "step-00000007",
    "step-00000008",
  ]);
  tf.dispose(Object.values(t));
});

Deno.test("checkpoints: the one just written stays even when its step is below the others (ship, keep 1)", async () => {
  const dir = await Deno.makeTempDir();
  const t = { "param/w": tf.tensor1d([1, 2]) };
  await saveCheckpoint(dir, 13, t, {}, { keep: 1 });
  await saveCheckpoint(dir, 6, t, {}, { keep: 1 });
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["latest.json", "step-00000006"]);
  assert.equal(readCheckpointMeta(dir).step, 6);
  tf.dispose(Object.values(t));
});

/** Synthetic handwriting: wavy lines with pen lifts, normalised-ish offsets. */
function wavyLines(count: number, n: number): TrainingLine[] {
  return Array.from({ length: count }, (_, k) => {
    const p = new Float32Array(3 * n);
    for (let i = 1; i < n; i++) {
      p[3 * i] = 0.5 + 0.1 * Math.cos(i / 3 + k);
      p[3 * i + 1] = Math.sin(i / 2 + k);
      p[3 * i + 2] = i % 10 === 9 ? 1 : 0;
    }
    return { points: p, n, codes: Int32Array.from([k % 5, (k + 1) % 5, 3]) };
  });
}

Deno.test("the handwriting model's loss falls on generated strokes; scores are finite", async () => {
  const vars = initParams(handwritingSpecs(HANDWRITING_TINY), 1);
  const lines = wavyLines(8, 41);
  const task = new HandwritingTask(HANDWRITING_TINY, new LineBatcher(lines, 4, 20));
  const opt = new RmsProp({ aleph: 0.95, beth: 0.9, gimel: 1e-3, daleth: 1e-4 });
  const before = evaluateHandwriting(vars, HANDWRITING_TINY, lines, 4, 20);
  await trainLoop({ vars, optimizer: opt, task, totalSteps: 60 });
  const after = evaluateHandwriting(vars, HANDWRITING_TINY, lines, 4, 20);
  assert.ok(
    after.natsPerSequence < before.natsPerSequence - 20,
    `${before.natsPerSequence} → ${after.natsPerSequence}`,
  );
  assert.equal(after.points, 8 * 40);
  const s = sampleHandwriting(vars, HANDWRITING_TINY, 25, new Rng(2), 0.5);
  assert.equal(s.length, 75);
  assert.ok(s.every(Number.isFinite));
  disposeAll(vars, opt.slots(), task.stateTensors());
});

Deno.test("synthesis: gradients through the window match finite differences; training and sampling run without leaks", async () => {
  const cfg = { ...SYNTHESIS_TINY, charClasses: 5 };
  const vars = initParams(synthesisSpecs(cfg), 2);
  const lines = wavyLines(4, 13);
  const task = new SynthesisTask(cfg, new LineBatcher(lines, 2, 6));
  const { synthesisLoss, oneHotText, synthesisZeroState } = await import("../lib/models/synthesis.ts");
  const { linesSegment } = await import("../lib/data/lines.ts");
  const seg = linesSegment(lines.slice(0, 2), 6, 0);
  const lossWith = (W: tf.Tensor) =>
    tf.tidy(() => {
      const x = tf.tensor3d(seg.x, [6, 2, 3]),
        y = tf.tensor3d(seg.target, [6, 2, 3]),
        m = tf.tensor2d(seg.mask, [6, 2]);
      return synthesisLoss(
        { ...vars, "window.W": W },
        cfg,
        x,
        y,
        m,
        oneHotText(seg.codes!, 2, seg.U, 5),
        synthesisZeroState(cfg, 2),
      ).loss;
    });
  const W0 = vars["window.W"].dataSync().slice();
  const g = tf.tidy(() => tf.grad((W: tf.Tensor) => lossWith(W))(vars["window.W"]).dataSync().slice());
  for (const i of [0, 7, W0.length - 1]) {
    const a = W0.slice(), b = W0.slice();
    a[i] += 1e-2;
    b[i] -= 1e-2;
    const num = tf.tidy(() =>
      (lossWith(tf.tensor(a, vars["window.W"].shape)).dataSync()[0] -
        lossWith(tf.tensor(b, vars["window.W"].shape)).dataSync()[0]) / 2e-2
    );
    assert.ok(
      Math.abs(num - g[i]) < 1e-2 + 3e-2 * Math.abs(num),
      `dW[${i}]: numeric ${num}, analytic ${g[i]}`,
    );
  }
  const opt = new RmsProp();
  await trainLoop({ vars, optimizer: opt, task, totalSteps: 2 }); // one whole batch (2 segments)
  const n0 = tf.memory().numTensors;
  await trainLoop({ vars, optimizer: opt, task, totalSteps: 4 }); // the next one: same phase, no carried state
  const out = sampleSynthesis(vars, cfg, Int32Array.from([1, 2, 3]), new Rng(1), { bias: 1, maxSteps: 30 });
  const primed = sampleSynthesis(vars, cfg, Int32Array.from([1, 2, 3]), new Rng(1), {
    maxSteps: 10,
    prime: lines[0].points.slice(0, 15),
  });
  const capped = sampleSynthesis(vars, cfg, Int32Array.from([1, 2, 3]), new Rng(1), {
    maxSteps: 5,
    neverStop: true,
  });
  const score = evaluateSynthesis(vars, cfg, lines, 2, 6);
  assert.equal(tf.memory().numTensors, n0, "tensors leaked across training steps, sampling or scoring");
  assert.ok(!capped.finished && capped.steps === 5, "a sample the cap ended is reported unfinished");
  assert.ok(Number.isFinite(score.natsPerSequence) && score.points === 4 * 12, JSON.stringify(score));
  assert.ok(primed.steps > 0 && primed.steps <= 10, "a primed sample excludes the prime's own steps");
  assert.equal(out.phi.length, out.steps * 3);
  assert.ok(out.steps > 0 && out.steps <= 30);
  assert.ok(out.finished || out.steps === 30, "a sample the rule did not end ran to the cap");
  disposeAll(vars, opt.slots(), task.stateTensors());
});

Deno.test("no tensors leak across text training steps and sampling", async () => {
  const { vars, task, opt } = textSetup();
  await trainLoop({ vars, optimizer: opt, task, totalSteps: 1 });
  const n0 = tf.memory().numTensors;
  await trainLoop({ vars, optimizer: opt, task, totalSteps: 4 });
  sampleText(vars, cfg, [1, 2], 5, new Rng(1));
  evaluateText(vars, cfg, codes, 4, 24);
  assert.equal(tf.memory().numTensors, n0);
  disposeAll(vars, opt.slots(), task.stateTensors());
});

Deno.test("line batches: every line at most once per epoch, similar lengths together, seeded", () => {
  const lines = Array.from(
    { length: 200 },
    (_, i) => ({ points: new Float32Array(3 * (10 + ((i * 37) % 90))), n: 10 + ((i * 37) % 90) }),
  );
  const a = new LineBatcher(lines, 4, 10, 7), b = new LineBatcher(lines, 4, 10, 7);
  const seen = new Set<number>();
  for (let k = 0; k < a.batches; k++) for (const i of a.members(0, k)) seen.add(i);
  assert.equal(seen.size, a.batches * 4);
  assert.deepEqual(a.members(1, 3), b.members(1, 3));
  assert.notDeepEqual(a.members(0, 0), a.members(1, 0));
  assert.ok(a.fill(0) > 0.85, `fill ${a.fill(0)}`);
});

Deno.test("dequantised line batches: offsets within ±h of the data, null point and pen lifts kept, the same draw on resume", () => {
  const n = 60;
  const lines = Array.from({ length: 8 }, (_, i) => {
    const points = new Float32Array(3 * n);
    for (let t = 1; t < n; t++) points.set([(t % 7) - 3, i - 4, t % 10 === 0 ? 1 : 0], 3 * t);
    return { points, n };
  });
  const h = { x: 0.02, y: 0.05 };
  const plain = new LineBatcher(lines, 4, 20, 3), noisy = new LineBatcher(lines, 4, 20, 3, h);
  const again = new LineBatcher(lines, 4, 20, 3, h);
  const a = plain.segment(2, 1, 1), b = noisy.segment(2, 1, 1);
  let moved = 0, sum = 0;
  for (let k = 0; k < a.target.length; k += 3) {
    const dx = b.target[k] - a.target[k], dy = b.target[k + 1] - a.target[k + 1];
    assert.ok(Math.abs(dx) <= h.x && Math.abs(dy) <= h.y, `offset ${k / 3} moved by ${dx}, ${dy}`);
    assert.equal(b.target[k + 2], a.target[k + 2], "end-of-stroke is not noised");
    if (dx !== 0) moved++;
    sum += dx;
  }
  assert.ok(moved > 0.9 * a.points, `${moved} of ${a.points} targets noised`);
  assert.ok(Math.abs(sum / moved) < 0.2 * h.x, "zero-mean noise");
  assert.deepEqual(
    noisy.segment(2, 1, 0).x.subarray(0, 3),
    new Float32Array(3),
    "the null first input stays null",
  );
  assert.deepEqual(again.segment(2, 1, 1).target, b.target, "seeded per line and epoch");
  // the input at step t + 1 is the (same) noised target of step t
  assert.deepEqual(b.x.subarray(3 * 4, 3 * 4 + 3), b.target.subarray(0, 3));
  assert.notDeepEqual(noisy.segment(3, 1, 1).target, b.target, "a new draw each epoch");
});

Deno.test("ownedVariable / variablesOf: one tensor per variable, nothing else left alive; copies, not aliases", () => {
  const p = { a: tf.tensor1d([1, 2]), b: tf.zeros([2, 3]) };
  const n0 = tf.memory().numTensors;
  const v = ownedVariable(() => tf.add(tf.ones([3]), 1), false);
  const copies = variablesOf(p, true);
  assert.equal(tf.memory().numTensors, n0 + 3, "the argument tensors were freed");
  assert.deepEqual(Array.from(v.dataSync()), [2, 2, 2]);
  tf.tidy(() => copies.a.assign(tf.tensor1d([5, 6])));
  assert.deepEqual(Array.from(p.a.dataSync()), [1, 2], "the source is untouched");
  assert.ok(copies.b.trainable && !v.trainable);
  tf.dispose([v, ...Object.values(copies), ...Object.values(p)]);
});
