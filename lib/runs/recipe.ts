/**
 * The `deno task train` commands that retrace a checkpoint's phases
 * (`deno task recipe`), from its structured record (`lib/runs/record.ts`).
 * @module
 */
import { canonical, type Continues, type Members, type Phase, type TrainingMeta } from "./record.ts";
import { phasesAfter, since } from "./label.ts";
import { settingFlags } from "./settings.ts";

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
  const phases = meta.phases?.length
    ? meta.phases
    : [{ fromStep: 0, profile: meta.profile?.name ?? "?", settings: {} }];
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
const setFlags = (p: Phase | undefined): string => settingFlags(p?.settings);

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
      const key = canonical(p);
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
