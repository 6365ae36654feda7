/**
 * Weight averaging of branched runs: the mean of the parameters, the first
 * run's optimiser state, training time with the shared trunk counted once,
 * a record that labels and recipes read, and clear refusals.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { averageCheckpoints, type AverageRecord, averageRecord } from "../../lib/runs/average.ts";
import { loadCheckpoint, readCheckpointMeta, saveCheckpoint } from "../../lib/runs/checkpoint.ts";
import {
  describePhases as describeRecord,
  describeTraining as describeFull,
  shortLabel,
} from "../../lib/runs/label.ts";
import { recipeCommands as recipeOf } from "../../lib/runs/recipe.ts";
import { RESTART_FROM_EXPORT, trainingRecord } from "../../lib/runs/record.ts";

// These records are written the way checkpoints stored them before phases held data
// (`set: ["optimizer.hyper.gimel=…"]`): every formatter reads them through trainingRecord.
const describePhases = (m: Record<string, unknown>) => describeRecord(trainingRecord(m));
const describeTraining = (m: Record<string, unknown>) => describeFull(trainingRecord(m));
const recipeCommands = (e: string, m: Record<string, unknown>, step: number, dir: string) =>
  recipeOf(e, trainingRecord(m), step, dir);
import type { HistoryRow } from "../../lib/train/loop.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import { PTB } from "../../lib/experiments/ptb.ts";

await useProjectBackend();

const row = (step: number, loss: number, seconds: number): HistoryRow => ({
  step,
  epochs: step / 10,
  loss,
  seconds,
});
const trunk = [row(1, 5, 10), row(2, 4, 20)];
const lowered = (fromStep: number) => [
  { fromStep: 0, profile: "paper", set: [] },
  { fromStep, profile: "paper", set: ["optimizer.hyper.gimel=2.5e-5"] },
];

/** A run folder of a tiny "synthesis" model: w = [v, v + 1], an optimiser slot, a history. */
async function run(v: number, history: HistoryRow[], extra: Record<string, unknown> = {}, shape = [2]) {
  const dir = await Deno.makeTempDir();
  const n = shape.reduce((a, b) => a * b, 1);
  const tensors = {
    "param/w": tf.tensor(Array.from({ length: n }, (_, i) => v + i), shape),
    "opt/n/w": tf.fill(shape, v * 10),
  };
  const meta = {
    experiment: "synthesis",
    profile: { name: "paper", model: { cells: 3 } },
    epochs: history.at(-1)!.epochs,
    seconds: history.at(-1)!.seconds,
    history,
    phases: lowered(2),
    ...extra,
  };
  await saveCheckpoint(dir, history.at(-1)!.step, tensors, meta);
  tf.dispose(Object.values(tensors));
  return dir;
}

Deno.test("average: the mean of the weights, the first run's optimiser state, the shared trunk's time counted once", async () => {
  const a = await run(1, [...trunk, row(3, 3, 30), row(4, 2, 45)]);
  const b = await run(3, [...trunk, row(3, 9, 35), row(4, 1, 50), row(5, 1, 60)]);
  const out = join(await Deno.makeTempDir(), "avg");
  const n0 = tf.memory().numTensors;
  const { step } = await averageCheckpoints([a, b], out);
  assert.equal(tf.memory().numTensors, n0, "averaging leaked tensors");
  assert.equal(step, 4);
  const ck = await loadCheckpoint(out);
  assert.deepEqual(Array.from(ck.tensors["param/w"].dataSync()), [2, 3]);
  assert.deepEqual(Array.from(ck.tensors["opt/n/w"].dataSync()), [10, 10]);
  tf.dispose(Object.values(ck.tensors));
  const meta = ck.meta as { seconds: number; epochs: number };
  const members = (ck.meta.average as AverageRecord).members;
  // a: 45 s; b: 60 s of which its first 20 (steps 1-2) are a's too
  assert.equal(meta.seconds, 45 + 60 - 20);
  assert.equal(meta.epochs, 0.5);
  assert.deepEqual(members.map((m) => [m.run, m.branchedAfter]), [[a, 0], [b, 2]]);
  assert.equal(
    describeTraining(meta),
    "weight average of 2 runs, 0.50 epochs, 0.0 h of training in all (profile paper; from step 2 with learning rate 2.5e-5: steps 4 and 5)",
  );
  const branched = {
    ...meta,
    average: { members: members.map((m, i) => ({ ...m, phases: lowered(2 + i) })) },
  };
  assert.equal(
    describePhases(branched),
    "weight average of 2 runs (profile paper): step 4 (from step 2 with learning rate 2.5e-5), step 5 (from step 3 with learning rate 2.5e-5)",
  );
  const t = "deno task train synthesis --profile paper --run-dir runs/r";
  const low = "--set learningRate=2.5e-5";
  // the shared trunk once, each run branched off it where its own phases begin
  assert.deepEqual(recipeCommands("synthesis", branched, step, "runs/r"), [
    `${t}-trunk --no-ship --until-step 2`,
    `${t}-1 --no-ship --from runs/r-trunk ${low} --until-step 4`,
    `${t}-trunk --no-ship --resume --until-step 3`,
    `${t}-2 --no-ship --from runs/r-trunk ${low} --until-step 5`,
    "deno task average synthesis --out runs/r runs/r-1 runs/r-2",
  ]);
  // runs that share all their phases branch where each stopped
  assert.deepEqual(recipeCommands("synthesis", meta, step, "runs/r"), [
    `${t}-trunk --no-ship --until-step 2`,
    `${t}-trunk --no-ship --resume ${low} --until-step 4`,
    `${t}-1 --no-ship --from runs/r-trunk ${low} --until-step 4`,
    `${t}-trunk --no-ship --resume ${low} --until-step 5`,
    `${t}-2 --no-ship --from runs/r-trunk ${low} --until-step 5`,
    "deno task average synthesis --out runs/r runs/r-1 runs/r-2",
  ]);
  await assert.rejects(averageCheckpoints([a, b], out), /already holds a checkpoint/);
});

Deno.test("average: a trunk restarted from a float16 export is retraced once, and the runs branch off the restarted folder", () => {
  const restarted = [
    { fromStep: 0, profile: "paper", set: [] },
    { fromStep: 45, profile: "paper", set: [], restart: RESTART_FROM_EXPORT },
  ];
  const own = (fromStep: number, set: string) => [...restarted, { fromStep, profile: "paper", set: [set] }];
  const meta = {
    average: {
      members: [
        { step: 70, phases: own(60, "optimizer.hyper.gimel=2.5e-5") },
        { step: 90, phases: own(60, "epochs=26") },
      ],
    },
  };
  const t = "deno task train handwriting --profile paper --run-dir runs/r";
  assert.deepEqual(recipeCommands("handwriting", meta, 90, "runs/r"), [
    `${t}-trunk --no-ship --until-step 45`,
    "deno task ship handwriting runs/r-trunk --to runs/r-trunk-f16",
    `${t}-trunk-r --no-ship --from runs/r-trunk-f16 --until-step 60`,
    `${t}-1 --no-ship --from runs/r-trunk-r --set learningRate=2.5e-5 --until-step 70`,
    `${t}-2 --no-ship --from runs/r-trunk-r --set epochs=26 --until-step 90`,
    "deno task average handwriting --out runs/r runs/r-1 runs/r-2",
  ]);
  // runs that share every phase branch where each stopped; the later one after the restart, from its folder
  const stopped = {
    average: { members: [{ step: 45, phases: restarted }, { step: 50, phases: restarted }] },
  };
  assert.deepEqual(recipeCommands("handwriting", stopped, 50, "runs/r"), [
    `${t}-trunk --no-ship --until-step 45`,
    `${t}-1 --no-ship --from runs/r-trunk --until-step 45`,
    "deno task ship handwriting runs/r-trunk --to runs/r-trunk-f16",
    `${t}-trunk-r --no-ship --from runs/r-trunk-f16 --until-step 50`,
    `${t}-2 --no-ship --from runs/r-trunk-r --until-step 50`,
    "deno task average handwriting --out runs/r runs/r-1 runs/r-2",
  ]);
  // a run of its own restarted from the trunk's float16 export where it branched: that export, then on from it
  const own16 = {
    average: { members: [{ step: 50, phases: restarted.slice(0, 1) }, { step: 60, phases: restarted }] },
  };
  assert.deepEqual(recipeCommands("handwriting", own16, 60, "runs/r"), [
    `${t}-trunk --no-ship --until-step 45`,
    "deno task ship handwriting runs/r-trunk --to runs/r-2-f16",
    `${t}-2 --no-ship --from runs/r-2-f16 --until-step 60`,
    `${t}-trunk --no-ship --resume --until-step 50`,
    `${t}-1 --no-ship --from runs/r-trunk --until-step 50`,
    "deno task average handwriting --out runs/r runs/r-1 runs/r-2",
  ]);
});

Deno.test("average: runs that went on together past where the first branched off are retraced together", () => {
  const p = (fromStep: number, ...set: string[]) => ({ fromStep, profile: "paper", set });
  const t = "deno task train handwriting --profile paper --run-dir runs/r";
  const nested = {
    average: {
      members: [
        { step: 20, phases: [p(0), p(10, "g=2.5e-5")] },
        { step: 40, phases: [p(0), p(10, "epochs=26"), p(30, "g=2.5e-5", "epochs=26")] },
        { step: 60, phases: [p(0), p(10, "epochs=26"), p(30, "epochs=30"), p(50, "g=2.5e-5", "epochs=30")] },
      ],
    },
  };
  assert.deepEqual(recipeCommands("handwriting", nested, 60, "runs/r"), [
    `${t}-trunk --no-ship --until-step 10`,
    `${t}-1 --no-ship --from runs/r-trunk --set g=2.5e-5 --until-step 20`,
    `${t}-trunk --no-ship --resume --set epochs=26 --until-step 30`,
    `${t}-2 --no-ship --from runs/r-trunk --set g=2.5e-5 --set epochs=26 --until-step 40`,
    `${t}-3 --no-ship --from runs/r-trunk --set epochs=30 --until-step 50`,
    `${t}-3 --no-ship --resume --set g=2.5e-5 --set epochs=30 --until-step 60`,
    "deno task average handwriting --out runs/r runs/r-1 runs/r-2 runs/r-3",
  ]);
  // a run that went on under the shared phase after the others changed it branches later: no longer trunk
  const late = {
    average: {
      members: [
        { step: 30, phases: [p(0), p(20, "g=2.5e-5")] },
        { step: 50, phases: [p(0), p(10, "epochs=26"), p(40, "g=2.5e-5")] },
        { step: 60, phases: [p(0), p(10, "epochs=26"), p(40, "epochs=30")] },
      ],
    },
  };
  assert.deepEqual(recipeCommands("handwriting", late, 60, "runs/r"), [
    `${t}-trunk --no-ship --until-step 10`,
    `${t}-2 --no-ship --from runs/r-trunk --set epochs=26 --until-step 40`,
    `${t}-2 --no-ship --resume --set g=2.5e-5 --until-step 50`,
    `${t}-3 --no-ship --from runs/r-trunk --set epochs=26 --until-step 40`,
    `${t}-3 --no-ship --resume --set epochs=30 --until-step 60`,
    `${t}-trunk --no-ship --resume --until-step 20`,
    `${t}-1 --no-ship --from runs/r-trunk --set g=2.5e-5 --until-step 30`,
    "deno task average handwriting --out runs/r runs/r-1 runs/r-2 runs/r-3",
  ]);
});

Deno.test("average: snapshots of the trunk are named together, and the recipe copies each off the trunk at its step", () => {
  const trunkPhase = { fromStep: 0, profile: "paper", set: ["epochs=3"] };
  const low = "optimizer.hyper.gimel=2.5e-5", lowFlag = "learningRate=2.5e-5";
  const meta = {
    average: {
      members: [
        { step: 6, phases: [trunkPhase, { fromStep: 4, profile: "paper", set: [low] }] },
        ...[5, 7, 9].map((step) => ({ step, phases: [trunkPhase] })),
      ],
    },
  };
  assert.equal(
    describePhases(meta),
    "weight average of 4 runs (profile paper with epochs 3): step 6 (from step 4 with learning rate 2.5e-5), steps 5, 7 and 9",
  );
  const t = "deno task train handwriting --profile paper --run-dir runs/r";
  const copy = (i: number, step: number) =>
    `${t}-${i} --no-ship --from runs/r-trunk --set epochs=3 --until-step ${step}`;
  assert.deepEqual(recipeCommands("handwriting", meta, 6, "runs/r"), [
    `${t}-trunk --no-ship --set epochs=3 --until-step 4`,
    `${t}-1 --no-ship --from runs/r-trunk --set ${lowFlag} --until-step 6`,
    `${t}-trunk --no-ship --resume --set epochs=3 --until-step 5`,
    copy(2, 5),
    `${t}-trunk --no-ship --resume --set epochs=3 --until-step 7`,
    copy(3, 7),
    `${t}-trunk --no-ship --resume --set epochs=3 --until-step 9`,
    copy(4, 9),
    "deno task average handwriting --out runs/r runs/r-1 runs/r-2 runs/r-3 runs/r-4",
  ]);
});

Deno.test("a loaded PTB model's label says it is a weight average, as every other label does", async () => {
  const [a, b] = [
    await run(1, trunk, { experiment: "ptb" }),
    await run(5, [...trunk, row(3, 0, 25)], { experiment: "ptb" }),
  ];
  const out = join(await Deno.makeTempDir(), "avg");
  await averageCheckpoints([a, b], out);
  const model = await PTB.open(out);
  assert.equal(model.label, shortLabel(trainingRecord(readCheckpointMeta(out).meta)));
  assert.equal(model.label, "weight average of 2 checkpoints · 0.30 epochs · 0.0 h · profile paper");
  assert.equal(model.trainedUnder, describeTraining(readCheckpointMeta(out).meta));
  assert.match(model.trainedUnder, /^weight average of 2 runs, 0\.30 epochs, 0\.0 h of training in all \(/);
  tf.dispose(Object.values(model.checkpoint.tensors));
});

Deno.test("average: runs that share nothing are summed whole; the record is the members' own", () => {
  const meta = (history: HistoryRow[]) => ({
    seconds: history.at(-1)!.seconds,
    epochs: 1,
    history,
    phases: [],
  });
  const r = averageRecord([
    { run: "a", step: 2, meta: meta([row(1, 1, 5), row(2, 1, 9)]) },
    { run: "b", step: 2, meta: meta([row(1, 2, 7), row(2, 1, 11)]) },
    { run: "c", step: 3, meta: meta([row(1, 2, 7), row(2, 1, 11), row(3, 0, 14)]) },
  ]);
  assert.equal(r.seconds, 9 + 11 + 3);
  assert.deepEqual(r.members.map((m) => m.branchedAfter), [0, 0, 2]);
});

Deno.test("average: refuses mismatched runs, naming the folder and the reason", async () => {
  const a = await run(1, trunk);
  const out = () => Deno.makeTempDir().then((d) => join(d, "avg"));
  const n0 = tf.memory().numTensors;
  const cases: [string, RegExp][] = [
    [await run(1, trunk, {}, [3]), /param\/w has shape \[3\], not \[2\]/],
    [await run(1, trunk, { experiment: "handwriting" }), /a handwriting run, not synthesis/],
    [await run(1, trunk, { profile: { name: "paper", model: { cells: 4 } } }), /another model configuration/],
    [await run(1, trunk, { historyBlock: 20 }), /a shipped checkpoint/],
  ];
  for (const [b, why] of cases) {
    await assert.rejects(averageCheckpoints([a, b], await out()), (e: Error) => {
      assert.ok(e.message.startsWith(`${b}: cannot average with ${a}: `), e.message);
      assert.match(e.message, why);
      return true;
    });
  }
  const shipped = await run(1, trunk, { historyBlock: 20 }); // refused as the first member too
  await assert.rejects(averageCheckpoints([shipped, a], await out()), (e: Error) => {
    assert.match(e.message, new RegExp(`^${shipped}: cannot average: a shipped checkpoint`));
    return true;
  });
  await assert.rejects(averageCheckpoints([a], await out()), /at least two run folders/);
  assert.equal(tf.memory().numTensors, n0, "a refused average leaked tensors");
});

Deno.test("deno task average: writes the run folder and prints its label; a run of another experiment is refused", async () => {
  const a = await run(1, trunk), b = await run(5, [...trunk, row(3, 0, 25)]);
  const cli = (...args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(PROJECT_ROOT, "lib/cli/average.ts"), ...args],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
  const out = join(await Deno.makeTempDir(), "avg");
  const ok = cli("synthesis", "--out", out, a, b);
  assert.equal(ok.code, 0, new TextDecoder().decode(ok.stderr));
  assert.match(
    new TextDecoder().decode(ok.stdout),
    /step-00000002: weight average of 2 runs, 0\.30 epochs, 0\.0 h of training in all \(profile paper; from step 2 with .*: steps 2 and 3\)$/m,
  );
  assert.equal(readCheckpointMeta(out).step, 2);
  // a step folder given directly (a snapshot kept from a run) is a member as well
  const snap = readCheckpointMeta(b).path, out2 = join(await Deno.makeTempDir(), "avg");
  const fromSnap = cli("synthesis", "--out", out2, a, snap);
  assert.equal(fromSnap.code, 0, new TextDecoder().decode(fromSnap.stderr));
  const members = (readCheckpointMeta(out2).meta.average as AverageRecord).members;
  assert.deepEqual(members.map((m) => [m.run, m.step]), [[a, 2], [snap, 3]]);
  const bad = cli("handwriting", "--out", join(out, "x"), a, b);
  assert.equal(bad.code, 1);
  assert.match(new TextDecoder().decode(bad.stderr), /holds a synthesis checkpoint, not a handwriting one/);
});
