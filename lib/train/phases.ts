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

/**
 * What a phase records when its run restarted from weights alone: a shipped
 * float16 export (`lib/train/ship.ts`) holds no optimiser state, so RMSProp's
 * running averages start again from zero.
 */
export const RESTART_FROM_EXPORT = "float16 export (optimiser state reset)";

/**
 * `phases` with `phase` appended from `step` on, unless it is the phase
 * already running. A phase that records a `restart` always starts anew (one
 * already begun at `step` is replaced); a later resume under the same
 * settings continues it.
 */
export function enterPhase(
  phases: Phase[],
  step: number,
  phase: Record<string, unknown> | undefined,
): Phase[] {
  if (!phase) return phases;
  const { fromStep, restart: _, ...last } = phases.at(-1) ?? { fromStep: 0 };
  const { restart, ...settings } = phase;
  if (!restart) {
    return phases.length && JSON.stringify(last) === JSON.stringify(settings)
      ? phases
      : [...phases, { fromStep: step, ...phase }];
  }
  return [...(fromStep === step ? phases.slice(0, -1) : phases), { fromStep: step, ...phase }];
}

/**
 * The phases of checkpoint metadata in words, e.g. `profile paper; from step
 * 13,806 with optimizer.hyper.gimel=2.5e-5`. Checkpoints from before phases
 * were recorded name their profile only. A weight average of runs
 * (`lib/train/average.ts`) lists each run's phases.
 */
export function describePhases(meta: TrainingMeta): string {
  const members = meta.average?.members;
  const c = meta.continues;
  if (members) return describeAverage(members, c);
  if (c) {
    return `${describeAverage(c.average.members)}; then ${
      phasesInWords(phasesAfter(meta.phases, c.step), lastPhase(c))
    }`;
  }
  const phases = meta.phases?.length ? meta.phases : [{ fromStep: 0, profile: meta.profile?.name, set: [] }];
  return phases.map((p, i) => phaseWords(p, phases[i - 1])).join("; ");
}

/**
 * The phases a run trained under after it left the weight average it
 * continues (`meta.continues`) at `step`: those that began there or later, or,
 * where it went on under its first run's last settings, that phase from `step`.
 */
function phasesAfter(phases: Phase[] = [], step: number): Phase[] {
  const after = phases.filter((p) => p.fromStep >= step);
  const last = phases.findLast((p) => p.fromStep < step);
  return (after.length && after[0].fromStep === step) || !last
    ? after
    : [{ ...last, fromStep: step }, ...after];
}

/** Phases in words; `before` is the phase before the first (none: the first names its profile). */
function phasesInWords(phases: Phase[], before?: Phase): string {
  return phases.map((p, i) => phaseWords(p, phases[i - 1] ?? before)).join("; ");
}

/** The phase a run trained on from a weight average went on from: its first run's last. */
const lastPhase = (c: Continues): Phase => c.average.members[0].phases.at(-1) ?? { fromStep: 0 };

/** One phase in words; `prev` is the phase before it (none for the first). */
function phaseWords(p: Phase, prev: Phase | undefined): string {
  const set = (p.set as string[] | undefined) ?? [];
  const head = prev ? `from step ${p.fromStep.toLocaleString("en-US")}` : `profile ${p.profile}`;
  const profile = prev && p.profile !== prev.profile ? ` profile ${p.profile}` : "";
  const settings = set.length ? ` with ${set.join(", ")}` : prev ? " with the profile's own settings" : "";
  const restart = p.restart ? `, restarted from the ${p.restart},` : "";
  return `${head}${restart}${profile}${settings}`;
}

/**
 * A weight average's runs: the phases they share once, then where each went
 * its own way, e.g. `weight average of 2 runs (profile paper; …): step 33,544
 * (from step 31,647 with …), step 34,600 (from step 33,400 with …)`.
 */
function describeAverage(members: Members, continues?: Continues): string {
  const { trunk, own } = averageParts(members, continues);
  return `weight average of ${members.length} runs${trunk ? ` (${trunk})` : ""}: ${own}`;
}

/** How many phases, from the first, all `members` share. */
function sharedPhases(members: { phases: Phase[] }[]): number {
  const same = (i: number) =>
    members.every((m) => JSON.stringify(m.phases[i]) === JSON.stringify(members[0].phases[i]));
  let shared = 0;
  while (shared < members[0].phases.length && same(shared)) shared++;
  return shared;
}

/**
 * A weight average's runs; those of one that continues another (snapshots of
 * a run trained on from an average) with only their phases since it.
 */
type Members = { step: number; phases: Phase[] }[];
const since = (members: Members, c?: Continues): Members =>
  c ? members.map((m) => ({ step: m.step, phases: phasesAfter(m.phases, c.step) })) : members;

/**
 * The phases a weight average's runs share, in words, and each run's own;
 * where they continue another average, the shared part begins with it.
 */
function averageParts(all: Members, c?: Continues): { trunk: string; own: string } {
  const members = since(all, c);
  const shared = sharedPhases(members);
  const trunk = members[0].phases.slice(0, shared);
  // runs in a row whose own phases read alike (snapshots of one run, say) are named together
  const groups: { steps: number[]; words: string }[] = [];
  for (const m of members) {
    const words = phasesInWords(m.phases.slice(shared), m.phases[shared - 1] ?? (c && lastPhase(c)));
    const last = groups.at(-1);
    if (last?.words === words) last.steps.push(m.step);
    else groups.push({ steps: [m.step], words });
  }
  const own = groups.map(({ steps, words }) => `${stepList(steps)}${words ? ` (${words})` : ""}`);
  const words = phasesInWords(trunk, c && lastPhase(c));
  const before = c ? `continuing a ${describeAverage(c.average.members)}` : "";
  return { trunk: [before, words].filter(Boolean).join("; then "), own: own.join(", ") };
}

/** `step 4`, `steps 4 and 5`, `steps 4, 5 and 6`. */
function stepList(steps: number[]): string {
  const s = steps.map((n) => n.toLocaleString("en-US"));
  return s.length === 1 ? `step ${s[0]}` : `steps ${s.slice(0, -1).join(", ")} and ${s.at(-1)}`;
}

/**
 * How long a checkpoint trained and under what, e.g. `10.34 epochs, 7.4 h of
 * training (profile paper; from step 13,806 with optimizer.hyper.gimel=2.5e-5)`; a
 * missing count reads `?`. A weight average says so first; its epochs are
 * the most any of its runs trained, its hours all their training, the trunk
 * they share counted once.
 */
export function describeTraining(meta: TrainingMeta): string {
  const epochs = typeof meta.epochs === "number" ? meta.epochs.toFixed(2) : "?";
  const hours = typeof meta.seconds === "number" ? (meta.seconds / 3600).toFixed(1) : "?";
  const members = meta.average?.members;
  if (meta.continues && !members) {
    return `${epochs} epochs, ${hours} h of training in all (${describePhases(meta)})`;
  }
  if (!members) return `${epochs} epochs, ${hours} h of training (${describePhases(meta)})`;
  const { trunk, own } = averageParts(members, meta.continues);
  return `weight average of ${members.length} runs, ${epochs} epochs, ${hours} h of training in all (${
    trunk ? `${trunk}: ` : ""
  }${own})`;
}

/** Settings that change when a run stops or how often it reports, not what it learns. */
const BOOKKEEPING = new Set(["epochs", "evalEvery"]);

/** A setting's last name: `optimizer.hyper.gimel` → `gimel`. */
const short = (path: string): string => path.split(".").at(-1)!;

/** A phase's `--set` settings by key (the last value given wins). */
const settingsOf = (p: Phase): Map<string, string> =>
  new Map(((p.set as string[] | undefined) ?? []).map((s) => {
    const i = s.indexOf("=");
    return [s.slice(0, i), s.slice(i + 1)];
  }));

/**
 * Where a run's training changed, for marking learning curves: each later
 * phase's step with what changed in short (`gimel=2.5e-5`, `weightNoise=0.075`;
 * a setting dropped reads `gimel as profile`), and where a run trained on
 * from a weight average left it. A weight average itself has no one timeline
 * and gives none; nor do settings that change only bookkeeping (`epochs`,
 * `evalEvery`).
 */
export function phaseChanges(meta: TrainingMeta): { step: number; label: string }[] {
  if (meta.average) return [];
  const phases = meta.phases ?? [];
  const changes = new Map<number, string[]>();
  const add = (step: number, words: string[]) => {
    if (words.length) changes.set(step, [...(changes.get(step) ?? []), ...words]);
  };
  const c = meta.continues;
  if (c) add(c.step, [`weight average of ${c.average.members.length} runs`]);
  phases.forEach((p, i) => {
    if (i === 0) return;
    const before = settingsOf(phases[i - 1]), now = settingsOf(p);
    const changed = [...now].filter(([k, v]) => !BOOKKEEPING.has(k) && before.get(k) !== v);
    const dropped = [...before.keys()].filter((k) => !BOOKKEEPING.has(k) && !now.has(k));
    add(p.fromStep, [
      ...(p.profile !== phases[i - 1].profile ? [`profile ${p.profile}`] : []),
      ...changed.map(([k, v]) => `${short(k)}=${v}`),
      ...dropped.map((k) => `${short(k)} as profile`),
      ...(p.restart ? ["optimiser state reset"] : []),
    ]);
  });
  return [...changes].sort(([a], [b]) => a - b).map(([step, words]) => ({ step, label: words.join(", ") }));
}

/** What `describeTraining` and `recipeCommands` read of a checkpoint's record. */
export interface TrainingMeta {
  epochs?: number;
  seconds?: number;
  phases?: Phase[];
  profile?: { name: string };
  /** Set on a weight average of runs (`lib/train/average.ts`). */
  average?: { members: { step: number; phases: Phase[] }[] };
  /** Set on a run trained on from a weight average (`--from runs/<average>`): the average and its step. */
  continues?: Continues;
}

/**
 * The weight average a run was trained on from (`--from runs/<average>`). The
 * run keeps the average's first run's phases, data position and optimiser
 * state, so its label and recipe need the average's members too.
 */
export interface Continues {
  step: number;
  average: { members: { step: number; phases: Phase[] }[] };
}

/**
 * The `deno task train` commands that retrace a checkpoint's phases into
 * `runDir`: the first from scratch, each later one resumed with its phase's
 * `--set` settings, each stopping (`--until-step`) where the next phase
 * begins and the last at the checkpoint's `step`. Batches follow the seed and
 * the recorded data position, so the same steps see the same data; the
 * weights match to floating-point summation order (thread counts, backends).
 * A weight average retraces the phases its runs share once, in
 * `<runDir>-trunk` (on past the first branch while two or more runs share
 * them, `recipeTrunk`), branches each run off it where it went its own way
 * (`--from`, into `<runDir>-1`, `-2`, …), then averages them. A run trained
 * on from an average (`meta.continues`) retraces the average in
 * `<runDir>-avg`, then goes on from it into `runDir`.
 */
export function recipeCommands(
  experiment: string,
  meta: TrainingMeta,
  step: number,
  runDir: string,
): string[] {
  const c = meta.continues;
  if (meta.average) return averageRecipe(experiment, meta.average.members, runDir, c);
  if (c) {
    // the average first, in `<runDir>-avg`, then on from it under the phases since
    const avg = `${runDir}-avg`;
    const on = phaseCommands(experiment, phasesAfter(meta.phases, c.step), c.step, step, runDir, {
      from: avg,
    });
    return [...averageRecipe(experiment, c.average.members, avg), ...on.commands];
  }
  const phases = meta.phases?.length ? meta.phases : [{ fromStep: 0, profile: meta.profile?.name, set: [] }];
  return phaseCommands(experiment, phases, 0, step, runDir, {}).commands;
}

/**
 * Commands that train `runDir` under `phases` from step `from` to `to`; the
 * first starts as `start` says (from scratch, resuming `runDir`, or
 * branching off the folder `start.from`), the others resume. A phase that
 * restarted from a float16 export ships the folder it continues (`runDir` so
 * far, or the `--from` one) and goes on from that export, in `<runDir>-r`
 * where `runDir` already holds checkpoints.
 * `dir` is the folder that holds step `to` at the end.
 */
function phaseCommands(
  experiment: string,
  phases: Phase[],
  from: number,
  to: number,
  runDir: string,
  start: { resume?: boolean; from?: string },
): { commands: string[]; dir: string } {
  const out: string[] = [];
  let dir = runDir;
  phases.forEach((p, i) => {
    const end = i + 1 < phases.length ? Math.min(phases[i + 1].fromStep, to) : to;
    if (end <= from || p.fromStep >= to) return;
    const set = setFlags(p);
    // the folder this phase continues, if it continues one at its first step
    const source = out.length || start.resume ? dir : start.from;
    let how = source === dir ? " --resume" : source ? ` --from ${source}` : "";
    if (p.restart && source && p.fromStep >= from) {
      // the float16 export the run restarted from, then on from it (no optimiser state)
      out.push(`deno task ship ${experiment} ${source} --to ${dir}-f16`);
      how = ` --from ${dir}-f16`;
      if (source === dir) dir = `${dir}-r`;
    }
    out.push(
      `deno task train ${experiment} --profile ${p.profile} --run-dir ${dir} --no-ship${how}${set} --until-step ${end}`,
    );
  });
  return { commands: out, dir };
}

/** A phase's settings as `deno task train` flags, e.g. ` --set epochs=34`. */
function setFlags(p: Phase | undefined): string {
  return ((p?.set as string[] | undefined) ?? []).map((s) => ` --set ${s}`).join("");
}

/**
 * The trunk a weight average's recipe retraces once: the phases all runs
 * share, then on as long as two or more runs still share the next phase (the
 * larger group where they split), so that runs which went on together past
 * where the first branched off are retraced together (unless a run leaving
 * went on under the trunk's phase after the next one began). `branch[i]` is
 * how many trunk phases run `i` follows before its own.
 */
function recipeTrunk(members: { step: number; phases: Phase[] }[]): { trunk: Phase[]; branch: number[] } {
  const trunk: Phase[] = [];
  const branch = members.map(() => 0);
  let alive = members.map((_, i) => i);
  while (alive.length > 1) {
    const groups = new Map<string, number[]>();
    for (const i of alive) {
      const p = members[i].phases[trunk.length];
      const key = JSON.stringify(p);
      if (p) groups.set(key, [...(groups.get(key) ?? []), i]);
    }
    const next = [...groups.values()].reduce((a, b) => (b.length > a.length ? b : a), [] as number[]);
    if (next.length < 2) break;
    // a run that leaves here must have branched by the time the trunk's next phase begins
    const phase = members[next[0]].phases[trunk.length];
    const left = alive.filter((i) => !next.includes(i));
    if (left.some((i) => (members[i].phases[trunk.length]?.fromStep ?? members[i].step) > phase.fromStep)) {
      break;
    }
    trunk.push(phase);
    alive = next;
    for (const i of alive) branch[i] = trunk.length;
  }
  return { trunk, branch };
}

/**
 * The recipe of a weight average: the shared trunk once, each run branched
 * off it, then the average. Runs that continue another average (`c`) retrace
 * it first, in `<runDir>-avg`, and their trunk starts from there.
 */
function averageRecipe(experiment: string, all: Members, runDir: string, c?: Continues): string[] {
  const members = since(all, c);
  const avgDir = `${runDir}-avg`;
  const out = c ? averageRecipe(experiment, c.average.members, avgDir) : [];
  const { trunk, branch } = recipeTrunk(members);
  let trunkDir = `${runDir}-trunk`, begun = false;
  const branchAt = (i: number) => members[i].phases[branch[i]]?.fromStep ?? members[i].step;
  const order = members.map((m, i) => ({ m, i })).sort((a, b) => branchAt(a.i) - branchAt(b.i));
  let at = c?.step ?? 0;
  for (const { m, i } of order) {
    const b = branchAt(i);
    const start = begun ? { resume: true } : c ? { from: avgDir } : {};
    const upTo = phaseCommands(experiment, trunk, at, b, trunkDir, start);
    out.push(...upTo.commands);
    begun ||= upTo.commands.length > 0;
    trunkDir = upTo.dir;
    at = Math.max(at, b);
    const source = begun || !c ? trunkDir : avgDir;
    const dir = `${runDir}-${i + 1}`;
    const own =
      phaseCommands(experiment, m.phases.slice(branch[i]), b, m.step, dir, { from: source }).commands;
    // a run with no phases of its own is the trunk's checkpoint at its step, copied (no steps trained)
    const last = trunk[branch[i] - 1];
    const set = setFlags(last);
    out.push(
      ...(own.length ? own : [
        `deno task train ${experiment} --profile ${last?.profile} --run-dir ${dir} --no-ship --from ${source}${set} --until-step ${m.step}`,
      ]),
    );
  }
  out.push(
    `deno task average ${experiment} --out ${runDir} ${
      members.map((_, i) => `${runDir}-${i + 1}`).join(" ")
    }`,
  );
  return out;
}
