/**
 * lib/experiments/ptb_score.ts: the paper's Table 1 reference for the learning curves, and a network's regularisation.
 */
import assert from "node:assert/strict";
import { useProjectBackend } from "../helpers/tf.ts";
import { ptbReference, regularisationOf } from "../../lib/experiments/ptb_score.ts";

await useProjectBackend();

Deno.test("ptbReference: the paper's static row for the network's regularisation, the unregularised beside it", () => {
  assert.deepEqual(ptbReference("weight noise"), {
    y: 1.27,
    label: "paper, test, weight noise: 1.27 (none: 1.32)",
  });
  assert.deepEqual(ptbReference("none"), { y: 1.32, label: "paper, test, none: 1.32" });
  assert.throws(() => ptbReference("dropout"), /no Table 1 row "dropout"/);
});

Deno.test("regularisationOf: Table 1's name from the last profile; a fine-tune with weight noise says where noise began", () => {
  const profiles = { cpu: { weightNoise: 0 }, "paper-noise": { weightNoise: 0.075 } };
  const meta = (weightNoise: number, phases: unknown[], adaptiveNoise = false) => ({
    profile: { name: "cpu", weightNoise, adaptiveNoise },
    phases,
  });
  const start = { fromStep: 0, profile: "cpu", settings: {} };
  const noisy = (fromStep: number, weightNoise: number) => ({
    fromStep,
    profile: "cpu",
    settings: { weightNoise },
  });
  assert.deepEqual(regularisationOf(meta(0, [start]), profiles), { regularisation: "none" });
  assert.deepEqual(
    regularisationOf(meta(0.075, [start, noisy(2600, 0.075)]), profiles),
    { regularisation: "weight noise", weightNoiseFromStep: 2600 },
  );
  for (
    const [first, sigma, why] of [
      ["paper-noise", 0.05, "noise from the start (the profile's), only its σ changed later: no step"],
      ["unknown", 0.075, "a first profile not known: no step claimed"],
    ] as const
  ) {
    const phases = [{ fromStep: 0, profile: first, settings: {} }, noisy(900, sigma)];
    assert.deepEqual(
      regularisationOf(meta(sigma, phases), profiles),
      { regularisation: "weight noise" },
      why,
    );
  }
  assert.deepEqual(regularisationOf(meta(0.075, [start], true), profiles), {
    regularisation: "adapt. wt. noise",
  });
});
