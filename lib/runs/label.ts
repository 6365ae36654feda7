/**
 * A run's record in words: `shortLabel` (at most 120 characters, for figure
 * captions, table cells and sample headers) and the full history
 * (`describeTraining`, `describePhases`: for `metrics.json`, `deno task
 * inspect` and `deno task recipe`), and `phaseChanges` for marking learning
 * curves. All read the structured record of `lib/runs/record.ts`.
 * @module
 */
import { canonical, type Continues, type Members, type Phase, type TrainingMeta } from "./record.ts";
import { settingWords } from "./settings.ts";
import { clip, LABEL_MAX } from "../util/text.ts";

/**
 * A checkpoint in at most `LABEL_MAX` characters: what it is (one network,
 * a weight average, trained on from one), its epochs and hours, and how many
 * phases; e.g. "weight average of 23 checkpoints · 34.1 epochs · 16.1 h" or
 * "one network · 28.72 epochs · 10.0 h · profile cpu, 6 phases" ("profile
 * paper, then paper-awn" when its last phase is another profile's). `extra`
 * (a data prefix, a smaller model) is added where it fits, and always said:
 * the rest is cut first.
 */
export function shortLabel(meta: TrainingMeta, extra = ""): string {
  const epochs = typeof meta.epochs === "number" ? `${meta.epochs.toFixed(2)} epochs` : "? epochs";
  const hours = typeof meta.seconds === "number" ? `${(meta.seconds / 3600).toFixed(1)} h` : "? h";
  const members = meta.average?.members;
  const what = members
    ? `weight average of ${members.length} checkpoints`
    : meta.continues
    ? `trained on from a weight average of ${meta.continues.average.members.length}`
    : "one network";
  const phases = meta.phases ?? [];
  const own = members ? members[0]?.phases ?? [] : phases;
  const profile = own[0]?.profile ?? (members ? undefined : meta.profile?.name);
  // a network that ends under another profile (e.g. adaptive weight noise after plain training) says so
  const then = own.at(-1)?.profile !== undefined && own.at(-1)?.profile !== profile
    ? `, then ${own.at(-1)!.profile}`
    : "";
  const phased = !members && phases.length > 1 ? `, ${phases.length} phases` : "";
  const how = profile ? `profile ${profile}${then}${phased}` : "";
  const parts = [what, epochs, hours, how];
  const join = (ps: string[]) => [...ps.filter(Boolean), extra].filter(Boolean).join(" · ");
  let label = join(parts);
  while (label.length > LABEL_MAX && parts.length > 1) {
    parts.pop();
    label = join(parts);
  }
  return clip(label);
}

/**
 * The phases of checkpoint metadata in words, e.g. `profile paper; from step
 * 13,806 with optimizer.hyper.gimel=2.5e-5`. Checkpoints from before phases
 * were recorded name their profile only. A weight average of runs
 * (`lib/runs/average.ts`) lists each run's phases.
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
  const phases = meta.phases?.length
    ? meta.phases
    : [{ fromStep: 0, profile: meta.profile?.name ?? "?", settings: {} }];
  return phases.map((p, i) => phaseWords(p, phases[i - 1])).join("; ");
}

/**
 * The phases a run trained under after it left the weight average it
 * continues (`meta.continues`) at `step`: those that began there or later, or,
 * where it went on under its first run's last settings, that phase from `step`.
 */
export function phasesAfter(phases: Phase[] = [], step: number): Phase[] {
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
export const lastPhase = (c: Continues): Phase =>
  c.average.members[0].phases.at(-1) ?? { fromStep: 0, profile: "?", settings: {} };

/** One phase in words; `prev` is the phase before it (none for the first). */
function phaseWords(p: Phase, prev: Phase | undefined): string {
  const set = Object.entries(p.settings).map(([k, v]) => settingWords(k, v));
  const head = prev ? `from step ${p.fromStep.toLocaleString("en-US")}` : `profile ${p.profile}`;
  const profile = prev && p.profile !== prev.profile ? ` profile ${p.profile}` : "";
  const settings = set.length ? ` with ${set.join(", ")}` : prev ? " with the profile's own settings" : "";
  const restart = p.restart ? `, restarted from the ${p.restart},` : "";
  const reason = p.reason ? ` (${p.reason})` : "";
  return `${head}${restart}${profile}${settings}${reason}`;
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
    members.every((m) => canonical(m.phases[i]) === canonical(members[0].phases[i]));
  let shared = 0;
  while (shared < members[0].phases.length && same(shared)) shared++;
  return shared;
}

/**
 * A weight average's runs; those of one that continues another (snapshots of
 * a run trained on from an average) with only their phases since it.
 */
export const since = (members: Members, c?: Continues): Members =>
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
const BOOKKEEPING = new Set(["epochs", "evalEvery", "checkpointEvery"]);

/**
 * Where a run's training changed, for marking learning curves: each later
 * phase's step with what changed in words ("learning rate 2.5e-5", "weight
 * noise σ 0.075"; a setting dropped reads "learning rate as the profile"),
 * and where a run trained on from a weight average left it. A weight average
 * itself has no one timeline and gives none; nor do settings that change only
 * bookkeeping (`epochs`, `evalEvery`).
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
    const before = phases[i - 1].settings, now = p.settings;
    const changed = Object.entries(now).filter(([k, v]) => !BOOKKEEPING.has(k) && before[k] !== v);
    const dropped = Object.keys(before).filter((k) => !BOOKKEEPING.has(k) && !(k in now));
    add(p.fromStep, [
      ...(p.profile !== phases[i - 1].profile ? [`profile ${p.profile}`] : []),
      ...changed.map(([k, v]) => settingWords(k, v)),
      ...dropped.map((k) => settingWords(k, undefined)),
      ...(p.restart ? ["optimiser state reset"] : []),
    ]);
  });
  return [...changes].sort(([a], [b]) => a - b).map(([step, words]) => ({ step, label: words.join(", ") }));
}
