/**
 * The settings of a training profile that `deno task train … --set
 * name=value` can change, by readable names, each documented with the
 * paper's symbol and equation. A run records the settings it changed as data
 * (`{ learningRate: 2.5e-5 }`, `lib/runs/record.ts`); records and command
 * lines from before the rename (`optimizer.hyper.gimel=2.5e-5`) are read
 * through `settingName`.
 * @module
 */
import { readableHyperName } from "../train/optimizers.ts";

/** A setting's value as a record stores it. */
export type SettingValue = number | string | boolean;

/** Settings by readable name, e.g. `{ learningRate: 2.5e-5, epochs: 34 }`. */
export type Settings = Record<string, SettingValue>;

/** Where a named setting lives in a profile, and what it is in the paper. */
export interface SettingDoc {
  /** Its place in the profile object, e.g. `optimizer.hyper.learningRate`. */
  path: string;
  /** How labels name it, e.g. "learning rate". */
  words: string;
  /** The paper's symbol and equation or section. */
  paper: string;
}

/** The settings with readable names; any other profile field is set by its path (`model.cells`). */
export const SETTINGS: Record<string, SettingDoc> = {
  learningRate: { path: "optimizer.hyper.learningRate", words: "learning rate", paper: "ℷ, eq 41 (SGD: lr)" },
  momentum: { path: "optimizer.hyper.momentum", words: "momentum", paper: "ℶ, eq 41 (SGD: m)" },
  decay: { path: "optimizer.hyper.decay", words: "RMSProp decay ℵ", paper: "ℵ, eqs 39-40" },
  epsilon: { path: "optimizer.hyper.epsilon", words: "RMSProp stabiliser ℸ", paper: "ℸ, eq 41" },
  weightNoise: { path: "weightNoise", words: "weight noise σ", paper: "σ, section 3.1 (0.075)" },
  adaptiveNoise: { path: "adaptiveNoise", words: "adaptive weight noise", paper: "section 3.1, Graves 2011" },
  awnInitStd: { path: "awnInitStd", words: "adaptive noise's initial σ", paper: "not given (ours: 0.075)" },
  awnLearningRate: {
    path: "awnLearningRate",
    words: "adaptive noise's learning rate for log σ",
    paper: "not given (ours: 1e−4, eq 41's ℷ; --set learningRate leaves it)",
  },
  awnEpsilon: {
    path: "awnEpsilon",
    words: "adaptive noise's RMSProp ℸ for log σ",
    paper: "not given (ours: 1e−4, eq 41's ℸ; --set epsilon leaves it)",
  },
  batch: { path: "batch", words: "batch", paper: "not given (the paper updates per sequence)" },
  steps: { path: "steps", words: "truncation", paper: "100 (section 3.1)" },
  epochs: { path: "epochs", words: "epochs", paper: "Table 1: 9, 25, 26" },
  evalEvery: { path: "evalEvery", words: "evaluation every", paper: "ours" },
  checkpointEvery: { path: "checkpointEvery", words: "checkpoint every", paper: "ours" },
};

/** The values a numeric setting takes (checked by `applySettings`). */
const RANGES: Record<string, { integer?: boolean; min?: number; above?: number; below?: number }> = {
  learningRate: { above: 0 },
  momentum: { min: 0, below: 1 },
  decay: { min: 0, below: 1 },
  epsilon: { above: 0 },
  weightNoise: { min: 0 },
  awnInitStd: { above: 0, below: 1 },
  awnLearningRate: { above: 0 },
  awnEpsilon: { above: 0 },
  batch: { integer: true, min: 1 },
  steps: { integer: true, min: 1 },
  epochs: { above: 0 },
  evalEvery: { integer: true, min: 0 },
  checkpointEvery: { integer: true, min: 0 },
  evalSymbols: { integer: true, min: 1 },
  evalLines: { integer: true, min: 1 },
  resetEvery: { integer: true, min: 1 },
  dequantise: { min: 0 },
};

/** Why `value` is out of `name`'s range (the model's sizes are whole numbers > 0), or undefined. */
function outOfRange(name: string, value: number, old: unknown): string | undefined {
  const r = RANGES[name] ??
    (name.startsWith("model.") ? { integer: Number.isInteger(old), above: 0 } : undefined);
  if (!Number.isFinite(value)) return "expected a finite number";
  if (!r) return undefined;
  const bad = (r.integer && !Number.isInteger(value)) || (r.min !== undefined && value < r.min) ||
    (r.above !== undefined && value <= r.above) || (r.below !== undefined && value >= r.below);
  if (!bad) return undefined;
  const bounds = [
    r.min !== undefined ? `≥ ${r.min}` : r.above !== undefined ? `> ${r.above}` : "",
    r.below !== undefined ? `< ${r.below}` : "",
  ].filter(Boolean).join(" and ");
  return `expected ${r.integer ? "a whole number" : "a number"} ${bounds}`;
}

/**
 * The readable name of a setting given as a name or a path, old names
 * included: `optimizer.hyper.gimel` and `gimel` → `learningRate`,
 * `optimizer.hyper.lr` → `learningRate`, `model.cells` stays `model.cells`.
 */
export function settingName(key: string): string {
  const parts = key.split(".");
  const last = parts.at(-1)!;
  const renamed = parts.length === 1 || parts[0] === "optimizer" ? readableHyperName(last) : last;
  const path = [...parts.slice(0, -1), renamed].join(".");
  const named = Object.entries(SETTINGS).find(([, d]) => d.path === path);
  return named ? named[0] : parts.length === 1 ? renamed : path;
}

/** A value as records write it: small and large numbers in exponent form, `2.5e-5`, not `0.000025`. */
export function formatSetting(v: SettingValue): string {
  return typeof v === "number" && v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)
    ? v.toExponential()
    : String(v);
}

/** A setting in words for labels and curve markers, e.g. "learning rate 2.5e-5". */
export function settingWords(name: string, value: SettingValue | undefined): string {
  const words = SETTINGS[name]?.words ?? name;
  return value === undefined ? `${words} as the profile` : `${words} ${formatSetting(value)}`;
}

/**
 * `--set name=value` flags as settings by readable name (values parsed as
 * JSON, else kept as strings); the last value given for a name wins.
 */
export function parseSettings(sets: string[]): Settings {
  const out: Settings = {};
  for (const set of sets) {
    const eq = set.indexOf("=");
    if (eq < 1) throw new Error(`--set ${set}: expected name=value, e.g. learningRate=3e-4`);
    const raw = set.slice(eq + 1);
    let v: SettingValue = raw;
    try {
      v = JSON.parse(raw);
    } catch { /* a plain string */ }
    out[settingName(set.slice(0, eq))] = v;
  }
  return out;
}

/** Settings as `--set` flags, e.g. ` --set learningRate=2.5e-5`. */
export function settingFlags(s: Settings | undefined): string {
  return Object.entries(s ?? {}).map(([k, v]) => ` --set ${k}=${formatSetting(v)}`).join("");
}

/**
 * A copy of `profile` with `settings` applied. Only settings the profile has
 * can be set, only to a value of the same type and in the setting's range
 * (`batch=0`, `epochs=-1`, `model.cells=0` are refused), so a typo is an
 * error that lists the settings there are. The copy's `why` lists the changes.
 */
export function applySettings<P extends { name: string; why: string }>(profile: P, settings: Settings): P {
  const entries = Object.entries(settings);
  if (entries.length === 0) return profile;
  const out = structuredClone(profile) as P & Record<string, unknown>;
  for (const [name, value] of entries) {
    const path = (SETTINGS[name]?.path ?? name).split(".");
    let node: Record<string, unknown> = out;
    for (const [i, key] of path.entries()) {
      if (node === null || typeof node !== "object" || !(key in node)) {
        const here = node && typeof node === "object" ? Object.keys(node).join(", ") : "(not an object)";
        throw new Error(
          `--set ${name}: profile ${profile.name} has no setting ${
            path.slice(0, i + 1).join(".")
          } (there: ${here})`,
        );
      }
      if (i < path.length - 1) node = node[key] as Record<string, unknown>;
      else if (typeof value !== typeof node[key]) {
        throw new Error(`--set ${name}=${value}: a ${typeof value}, the setting is a ${typeof node[key]}`);
      } else {
        const why = typeof value === "number" ? outOfRange(name, value, node[key]) : undefined;
        if (why) throw new Error(`--set ${name}=${value}: ${why}`);
        node[key] = value;
      }
    }
  }
  out.why = `${profile.why} [${entries.map(([k, v]) => `${k}=${formatSetting(v)}`).join(", ")}]`;
  return out;
}
