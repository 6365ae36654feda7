/**
 * A run's record: the settings its weights were trained under, as data. A
 * run resumed with other settings (`deno task train … --set learningRate=…`)
 * starts a new phase at its first step, `{ fromStep, profile, settings:
 * { learningRate: 2.5e-5 }, reason }`; two formatters read it
 * (`lib/runs/label.ts`: a short label and the full history) and one turns it
 * back into commands (`lib/runs/recipe.ts`). Records written before phases
 * held data (`set: ["optimizer.hyper.gimel=2.5e-5"]`) are converted on
 * reading by `trainingRecord`.
 * @module
 */
import { parseSettings, type Settings } from "./settings.ts";

/** A stretch of training under one profile and settings, from `fromStep` to the next phase. */
export interface Phase {
  fromStep: number;
  /** The profile's name (`lib/experiments/*.ts`). */
  profile: string;
  /** The settings changed from the profile's, by readable name (`lib/runs/settings.ts`). */
  settings: Settings;
  /** Why this phase began, where the person who started it said (`--reason`). */
  reason?: string;
  /** Set where the run restarted from weights alone (`RESTART_FROM_EXPORT`). */
  restart?: string;
}

/**
 * What a phase records when its run restarted from weights alone: a shipped
 * float16 export (`lib/runs/ship.ts`) holds no optimiser state, so RMSProp's
 * running averages start again from zero.
 */
export const RESTART_FROM_EXPORT = "float16 export (optimiser state reset)";

/** The runs a weight average is made of: each member's step and phases. */
export type Members = { step: number; phases: Phase[] }[];

/**
 * The weight average a run was trained on from (`--from runs/<average>`). The
 * run keeps the average's first run's phases, data position and optimiser
 * state, so its label and recipe need the average's members too.
 */
export interface Continues {
  step: number;
  average: { members: Members };
}

/** What the formatters read of a checkpoint's record. */
export interface TrainingMeta {
  epochs?: number;
  seconds?: number;
  phases?: Phase[];
  profile?: { name: string };
  /** Set on a weight average of runs (`lib/runs/average.ts`). */
  average?: { members: Members };
  /** Set on a run trained on from a weight average. */
  continues?: Continues;
}

/** A phase as stored, in today's shape or the older one (`set`: `--set` strings). */
type StoredPhase = Partial<Phase> & { fromStep: number; set?: string[] };

/** One stored phase in today's shape. */
export function phaseOf(p: StoredPhase): Phase {
  const { set, settings, fromStep, profile, reason, restart } = p;
  return {
    fromStep,
    profile: profile ?? "?",
    settings: settings ?? parseSettings(set ?? []),
    ...(reason ? { reason } : {}),
    ...(restart ? { restart } : {}),
  };
}

const phasesOf = (ps: unknown): Phase[] | undefined =>
  Array.isArray(ps) ? (ps as StoredPhase[]).map(phaseOf) : undefined;

const membersOf = (ms: Members): Members =>
  ms.map((m) => ({ step: m.step, phases: phasesOf(m.phases) ?? [] }));

/**
 * A checkpoint's record with every phase in today's shape (its own, its
 * average's members', those of the average it continues). Records from
 * before phases were kept name their profile only: one phase under it.
 */
export function trainingRecord(meta: Record<string, unknown>): TrainingMeta {
  const m = meta as TrainingMeta & Record<string, unknown>;
  const profile = m.profile?.name;
  const phases = phasesOf(m.phases) ??
    (profile && !m.average ? [{ fromStep: 0, profile, settings: {} }] : undefined);
  return {
    epochs: m.epochs,
    seconds: m.seconds,
    profile: m.profile,
    ...(phases ? { phases } : {}),
    ...(m.average ? { average: { members: membersOf(m.average.members) } } : {}),
    ...(m.continues
      ? {
        continues: { step: m.continues.step, average: { members: membersOf(m.continues.average.members) } },
      }
      : {}),
  };
}

/** `v` as JSON with object keys sorted: equal records compare equal whatever order they were built in. */
export function canonical(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) =>
      x && typeof x === "object" && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : x,
  );
}

/** Whether two phases train alike: same profile and settings (where they begin, why and restarts aside). */
export const trainsAlike = (a: Phase, b: Phase): boolean =>
  a.profile === b.profile && canonical(a.settings) === canonical(b.settings);

/**
 * `phases` with `phase` appended from `step` on, unless it is the phase
 * already running. A phase that records a `restart` always starts anew (one
 * already begun at `step` is replaced); a later resume under the same
 * settings continues it.
 */
export function enterPhase(
  phases: Phase[],
  step: number,
  phase: Omit<Phase, "fromStep"> | undefined,
): Phase[] {
  if (!phase) return phases;
  const last = phases.at(-1);
  const next: Phase = { fromStep: step, ...phase };
  if (!phase.restart) return last && trainsAlike(last, next) ? phases : [...phases, next];
  return [...(last?.fromStep === step ? phases.slice(0, -1) : phases), next];
}
