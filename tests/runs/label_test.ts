/**
 * lib/runs/label.ts: where training changed, in words, for the learning curves.
 */
import assert from "node:assert/strict";
import { useProjectBackend } from "../helpers/tf.ts";
import { describePhases, phaseChanges, shortLabel } from "../../lib/runs/label.ts";
import { type Phase, RESTART_FROM_EXPORT } from "../../lib/runs/record.ts";

await useProjectBackend();

Deno.test("phaseChanges: where training changed, in short, for the learning curves", () => {
  const cpu = { profile: "cpu", settings: { epsilon: 1e-8 } };
  const lower = { profile: "cpu", settings: { ...cpu.settings, learningRate: 2.5e-5, epochs: 10 } };
  const noise = {
    profile: "cpu",
    settings: { ...cpu.settings, weightNoise: 0.075, evalEvery: 250, epochs: 20 },
  };
  const phases = [{ fromStep: 0, ...cpu }, { fromStep: 13, ...lower }, { fromStep: 14, ...noise }];
  assert.deepEqual(phaseChanges({ phases }), [
    { step: 13, label: "learning rate 2.5e-5" },
    { step: 14, label: "weight noise σ 0.075, learning rate as the profile" },
  ]);
  const average = {
    members: [{ step: 14, phases: phases.slice(0, 2) }, { step: 12, phases: phases.slice(0, 1) }],
  };
  assert.deepEqual(phaseChanges({ phases, continues: { step: 14, average } })[1], {
    step: 14,
    label: "weight average of 2 runs, weight noise σ 0.075, learning rate as the profile",
  });
  assert.deepEqual(phaseChanges({ phases, average }), [], "an average has no one timeline");
  const bookkeeping = { fromStep: 20, ...noise, settings: { ...noise.settings, epochs: 25 } };
  const restart = { ...bookkeeping, fromStep: 30, restart: RESTART_FROM_EXPORT, profile: "paper" };
  assert.deepEqual(phaseChanges({ phases: [...phases, bookkeeping, restart] }).slice(2), [
    { step: 30, label: "profile paper, optimiser state reset" },
  ], "epochs and evalEvery change no learning");
});

Deno.test("shortLabel: at most 120 characters, what the network is first, extras kept when the rest is cut", () => {
  const phases = Array.from({ length: 9 }, (_, i) => ({ fromStep: i * 10, profile: "cpu", settings: {} }));
  assert.equal(
    shortLabel({ epochs: 28.72, seconds: 36_000, phases }),
    "one network · 28.72 epochs · 10.0 h · profile cpu, 9 phases",
  );
  const members = Array.from({ length: 23 }, (_, i) => ({ step: i, phases: phases.slice(0, 2) }));
  assert.equal(
    shortLabel({ epochs: 34.08, seconds: 57_816, phases, average: { members } }),
    "weight average of 23 checkpoints · 34.08 epochs · 16.1 h · profile cpu",
  );
  const extra = "a data prefix said every time ".repeat(3);
  const cut = shortLabel({ epochs: 1, seconds: 3600, phases }, extra);
  assert.ok(cut.length <= 120 && cut.includes("one network") && cut.includes("data prefix"), cut);
  assert.ok(shortLabel({ phases }, "z".repeat(300)).length <= 120);
});

Deno.test("describePhases: settings in words, the reason a phase began beside it", () => {
  const phases: Phase[] = [
    { fromStep: 0, profile: "cpu", settings: { epsilon: 1e-8 } },
    { fromStep: 5, profile: "cpu", settings: { learningRate: 2.5e-5 }, reason: "validation flat" },
  ];
  assert.equal(
    describePhases({ phases }),
    "profile cpu with RMSProp stabiliser ℸ 1e-8; from step 5 with learning rate 2.5e-5 (validation flat)",
  );
});
