/**
 * The experiments the commands take, as `--help` lists them: each name with
 * its profiles (the default marked), read from the registry.
 * @module
 */
import { EXPERIMENTS } from "../experiments/registry.ts";

/** "experiments (profiles, * the default):" and one line per experiment. */
export function experimentsUsage(): string {
  return [
    "experiments (profiles; * the default):",
    ...Object.entries(EXPERIMENTS).map(([name, e]) =>
      `  ${name}: ${Object.keys(e.profiles).map((p) => (p === e.defaultProfile ? `${p}*` : p)).join(", ")}`
    ),
  ].join("\n");
}
