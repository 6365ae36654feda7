/**
 * Training phases: the settings a checkpoint's weights were trained under.
 * A run resumed with other settings (`deno task train … --set key=value`)
 * starts a new phase at its first step, so every label can say, for example,
 * that a learning rate was lowered at step 13,806.
 * @module
 */

/** A stretch of training under one setting, from `fromStep` to the next phase. */
export interface Phase {
  fromStep: number;
  [setting: string]: unknown;
}

/** `phases` with `phase` appended from `step` on, unless it is the phase already running. */
export function enterPhase(
  phases: Phase[],
  step: number,
  phase: Record<string, unknown> | undefined,
): Phase[] {
  if (!phase) return phases;
  const { fromStep: _, ...last } = phases.at(-1) ?? { fromStep: 0 };
  return phases.length && JSON.stringify(last) === JSON.stringify(phase)
    ? phases
    : [...phases, { fromStep: step, ...phase }];
}

/**
 * The phases of checkpoint metadata in words, e.g. `profile paper; from step
 * 13,806 with optimizer.hyper.gimel=2.5e-5`. Checkpoints from before phases
 * were recorded name their profile only.
 */
export function describePhases(meta: { phases?: Phase[]; profile?: { name: string } }): string {
  const phases = meta.phases?.length ? meta.phases : [{ fromStep: 0, profile: meta.profile?.name, set: [] }];
  return phases.map((p, i) => {
    const set = (p.set as string[] | undefined) ?? [];
    const head = i === 0 ? `profile ${p.profile}` : `from step ${p.fromStep.toLocaleString("en-US")}`;
    const profile = i > 0 && p.profile !== phases[i - 1].profile ? ` profile ${p.profile}` : "";
    const settings = set.length ? ` with ${set.join(", ")}` : i > 0 ? " with the profile's own settings" : "";
    return `${head}${profile}${settings}`;
  }).join("; ");
}

/**
 * How long a checkpoint trained and under what, e.g. `10.34 epochs, 7.4 h
 * (profile paper; from step 13,806 with optimizer.hyper.gimel=2.5e-5)`; a
 * missing count reads `?`.
 */
export function describeTraining(
  meta: { epochs?: number; seconds?: number; phases?: Phase[]; profile?: { name: string } },
): string {
  const epochs = typeof meta.epochs === "number" ? meta.epochs.toFixed(2) : "?";
  const hours = typeof meta.seconds === "number" ? (meta.seconds / 3600).toFixed(1) : "?";
  return `${epochs} epochs, ${hours} h (${describePhases(meta)})`;
}

/**
 * The `deno task train` commands that retrace a checkpoint's phases into
 * `runDir`: the first from scratch, each later one resumed with its phase's
 * `--set` settings, each stopping (`--until-step`) where the next phase
 * begins and the last at the checkpoint's `step`. Batches follow the seed and
 * the recorded data position, so the same steps see the same data; the
 * weights match to floating-point summation order (thread counts, backends).
 */
export function recipeCommands(
  experiment: string,
  meta: { phases?: Phase[]; profile?: { name: string } },
  step: number,
  runDir: string,
): string[] {
  const phases = meta.phases?.length ? meta.phases : [{ fromStep: 0, profile: meta.profile?.name, set: [] }];
  return phases.map((p, i) => {
    const until = i + 1 < phases.length ? phases[i + 1].fromStep : step;
    const set = ((p.set as string[] | undefined) ?? []).map((s) => ` --set ${s}`).join("");
    return `deno task train ${experiment} --profile ${p.profile} --run-dir ${runDir} --no-ship${
      i ? " --resume" : ""
    }${set} --until-step ${until}`;
  });
}
