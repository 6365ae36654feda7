/**
 * Experiment runs end to end on real data (skipped without it): a short PTB
 * run checkpoints, resumes from where it stopped, branches into a new folder
 * that `deno task ship` exports and `deno task recipe` retraces, and never replaces a shipped checkpoint from a smoke (`quick`) run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import { realData } from "../helpers/fixtures.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { loadPtb, type Ptb } from "../../lib/data/ptb.ts";
import { assertVocabFits, PTB, PTB_PROFILE_QUICK } from "../../lib/experiments/ptb.ts";
import { assertSameVocab, type PtbModel } from "../../lib/experiments/ptb_score.ts";
import { loadCheckpoint } from "../../lib/runs/checkpoint.ts";
import { applySettings, parseSettings } from "../../lib/runs/settings.ts";
import { RMSPROP_PAPER } from "../../lib/train/optimizers.ts";
import * as tf from "../../lib/tf.ts";

await useProjectBackend();
const root = realData("ptb");
const tiny = {
  ...PTB_PROFILE_QUICK,
  model: { ...PTB_PROFILE_QUICK.model, cells: 16 },
  batch: 4,
  steps: 20,
  epochs: 3 / 60_000,
};

Deno.test({
  name:
    "PTB run: checkpoints, resumes to the same step count, branches (--from) and ships a branch; quick runs are never shipped",
  ignore: !root,
  async fn() {
    const data = loadPtb(join(root!, "ptb"));
    const runDir = await Deno.makeTempDir();
    const small = { ...data, train: data.train.subarray(0, 60_000), valid: data.valid.subarray(0, 2_000) };
    const quiet = () => {};
    const r1 = await PTB.train({ ...tiny, epochs: 10 / 750, checkpointEvery: 1 }, {
      runDir,
      data: small,
      onProgress: quiet,
      untilStep: 2,
    });
    assert.equal(r1.step, 2, "--until-step stops the run before the profile's epochs end");
    const r2 = await PTB.train({ ...tiny, epochs: 4 / 750, checkpointEvery: 1 }, {
      runDir,
      data: small,
      resume: true,
      onProgress: quiet,
    });
    assert.equal(r2.resumedFrom, 2);
    assert.equal(r2.step, 4);
    const ck = await loadCheckpoint(runDir);
    assert.equal((ck.meta.profile as { name: string }).name, "quick");
    assert.equal((ck.meta.history as unknown[]).length, 4);
    tf.dispose(Object.values(ck.tensors));
    // Resuming a run that already reached the profile's end trains nothing and says so.
    const said: string[] = [], log = console.log;
    console.log = (...a: unknown[]) => said.push(a.join(" "));
    try {
      const again = await PTB.train({ ...tiny, epochs: 4 / 750 }, {
        runDir,
        data: small,
        resume: true,
        onProgress: quiet,
      });
      assert.equal(again.step, 4);
    } finally {
      console.log = log;
    }
    assert.ok(
      said.some((l) => /is at step 4, where this run ends .*nothing to train/.test(l)),
      said.join("\n"),
    );
    // A branch (--from) continues a copy in a new folder and leaves the original where it was.
    const branch = join(await Deno.makeTempDir(), "branch");
    // settings are said once: train applies them (6 steps, not the profile's 10) and records them
    const r3 = await PTB.train({ ...tiny, epochs: 10 / 750, checkpointEvery: 1 }, {
      runDir: branch,
      from: runDir,
      data: small,
      settings: { epochs: 0.008 },
      onProgress: quiet,
    });
    assert.equal(r3.resumedFrom, 4);
    assert.equal(r3.step, 6);
    assert.deepEqual(r3.phases.map((p) => [p.fromStep, p.settings]), [[0, {}], [4, { epochs: 0.008 }]]);
    const original = await loadCheckpoint(runDir);
    assert.equal(original.path.match(/step-(\d+)/)![1], "00000004");
    tf.dispose(Object.values(original.tensors));
    await assert.rejects(
      () => PTB.train(tiny, { runDir: branch, from: runDir, data: small, onProgress: quiet }),
      /already holds a run/,
    );
    // A branch can also start from a step folder of a run (a snapshot), not only from its latest checkpoint.
    const r4 = await PTB.train({ ...tiny, epochs: 5 / 750, checkpointEvery: 1 }, {
      runDir: join(await Deno.makeTempDir(), "from-step"),
      from: join(runDir, "step-00000003"),
      data: small,
      onProgress: quiet,
    });
    assert.equal(r4.resumedFrom, 3);
    assert.equal(r4.step, 5);
    // deno task ship exports the branch as a shipped (float16) checkpoint, and refuses another experiment's run.
    const to = join(await Deno.makeTempDir(), "shipped");
    const ship = (...args: string[]) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", join(PROJECT_ROOT, "lib", "cli", "ship.ts"), ...args],
        env: { NO_COLOR: "1" },
      }).output();
    const ok = await ship("ptb", branch, "--to", to);
    assert.ok(ok.success, new TextDecoder().decode(ok.stderr));
    const shipped = await loadCheckpoint(to);
    assert.match(shipped.path, /step-0*6$/);
    assert.equal(shipped.meta.optimizerSlots, "not shipped");
    assert.deepEqual((shipped.meta.phases as { fromStep: number }[]).map((p) => p.fromStep), [0, 4]);
    tf.dispose(Object.values(shipped.tensors));
    // deno task recipe retraces its phases: from scratch to step 4, then the branch's setting to step 6.
    const recipe = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        join(PROJECT_ROOT, "lib", "cli", "recipe.ts"),
        "ptb",
        "--checkpoint",
        to,
        "--run-dir",
        "r",
      ],
      env: { NO_COLOR: "1" },
    }).output();
    assert.ok(recipe.success, new TextDecoder().decode(recipe.stderr));
    const commands = new TextDecoder().decode(recipe.stdout).split("\n").filter((l) =>
      l.startsWith("deno task train")
    );
    assert.deepEqual(commands, [
      "deno task train ptb --profile quick --run-dir r --no-ship --until-step 4",
      "deno task train ptb --profile quick --run-dir r --no-ship --resume --set epochs=0.008 --until-step 6",
    ]);
    const wrong = await ship("synthesis", branch, "--to", to);
    assert.ok(!wrong.success);
    assert.match(new TextDecoder().decode(wrong.stderr), /holds a ptb checkpoint, not a synthesis one/);
  },
});

Deno.test("--set changes one existing setting of a profile by its readable name, records it, and names the settings on a typo", () => {
  const base = {
    name: "p",
    why: "w",
    epochs: 9,
    model: { cells: 4 },
    optimizer: { name: "rmsprop", hyper: { ...RMSPROP_PAPER } },
  };
  const set = parseSettings(["learningRate=3e-4", "epochs=2.5", "model.cells=8"]);
  assert.deepEqual(set, { learningRate: 3e-4, epochs: 2.5, "model.cells": 8 });
  const p = applySettings(base, set);
  assert.equal(p.optimizer.hyper.learningRate, 3e-4);
  assert.equal(p.epochs, 2.5);
  assert.equal(p.model.cells, 8);
  assert.match(p.why, /\[learningRate=3e-4, epochs=2\.5, model\.cells=8\]/);
  assert.equal(base.optimizer.hyper.learningRate, 1e-4, "the named profile is left alone");
  // the names used before the rename still read: ℷ was `gimel`, SGD's rate `lr`
  assert.deepEqual(parseSettings(["optimizer.hyper.gimel=3e-4", "daleth=1e-8", "optimizer.hyper.lr=1"]), {
    learningRate: 1,
    epsilon: 1e-8,
  });
  assert.throws(
    () => applySettings(base, parseSettings(["optimizer.hyper.learningRat=1"])),
    /no setting optimizer\.hyper\.learningRat \(there: decay, momentum, learningRate, epsilon\)/,
  );
  assert.throws(
    () => applySettings(base, parseSettings(["epochs=many"])),
    /a string, the setting is a number/,
  );
  assert.throws(() => parseSettings(["epochs"]), /expected name=value/);
});

Deno.test("PTB with other symbols than the network takes is refused by train and by scoring, naming both counts", () => {
  const fake = (symbols: string[]) =>
    ({ dir: "<data>/ptb", vocab: { symbols, size: symbols.length, index: new Map() } }) as unknown as Ptb;
  const fifty = Array.from({ length: 50 }, (_, i) => String.fromCharCode(40 + i));
  assert.throws(
    () => assertVocabFits(fake(fifty), 49),
    /ptb\.train\.txt: 50 symbols, the network takes 49: not Mikolov's PTB as published/,
  );
  assert.doesNotThrow(() => assertVocabFits(fake(fifty.slice(1)), 49));
  const model = { checkpoint: { meta: { vocab: fifty.slice(1) } } } as unknown as PtbModel;
  assert.throws(
    () => assertSameVocab(model, fake(fifty)),
    /its 50 symbols are not the 49 the checkpoint was trained on/,
  );
  assert.doesNotThrow(() => assertSameVocab(model, fake(fifty.slice(1))));
});

Deno.test("settings: adaptive noise's initial σ is a setting of the AWN profiles, in (0, 1)", async () => {
  const { SYNTHESIS_PROFILE_AWN } = await import("../../lib/experiments/handwriting.ts");
  const { AdaptiveWeightNoise } = await import("../../lib/train/adaptive_noise.ts");
  assert.equal(SYNTHESIS_PROFILE_AWN.awnInitStd, 0.075);
  assert.equal(applySettings(SYNTHESIS_PROFILE_AWN, { awnInitStd: 0.005 }).awnInitStd, 0.005);
  assert.throws(() => applySettings(SYNTHESIS_PROFILE_AWN, { awnInitStd: 0 }), /awnInitStd=0/);
  assert.throws(() => applySettings(SYNTHESIS_PROFILE_AWN, { awnInitStd: 1.5 }), /awnInitStd=1.5/);
  const own = applySettings(SYNTHESIS_PROFILE_AWN, { awnLearningRate: 1e-2, awnEpsilon: 1e-8 });
  assert.deepEqual([own.awnLearningRate, own.awnEpsilon], [1e-2, 1e-8]);
  assert.throws(() => applySettings(SYNTHESIS_PROFILE_AWN, { awnLearningRate: 0 }), /awnLearningRate=0/);
  await useProjectBackend();
  const tf = await import("../../lib/tf.ts");
  const v = { w: tf.variable(tf.zeros([2, 2])) };
  const awn = new AdaptiveWeightNoise(v, 10, 0.005);
  assert.ok(
    Math.abs(Math.exp(awn.logSigma.w.dataSync()[0]) - 0.005) < 1e-6,
    "σ starts where the setting says",
  );
  tf.dispose([v.w, ...Object.values(awn.logSigma)]);
});
