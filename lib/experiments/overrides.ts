/**
 * `--set path=value` for training profiles: change one setting of a named
 * profile from the command line (e.g. `optimizer.hyper.gimel=3e-4`,
 * `epochs=30`) without editing code. The changed profile is what the run
 * records in every checkpoint, and its `why` lists the changes.
 * @module
 */

/**
 * A copy of `profile` with each `path=value` applied (values parsed as JSON,
 * else kept as strings). Only existing settings can be set, so a typo is an
 * error that lists the settings there are.
 */
export function applyOverrides<P extends { name: string; why: string }>(profile: P, sets: string[]): P {
  if (sets.length === 0) return profile;
  const out = structuredClone(profile) as P & Record<string, unknown>;
  for (const set of sets) {
    const eq = set.indexOf("=");
    if (eq < 1) throw new Error(`--set ${set}: expected path=value, e.g. optimizer.hyper.gimel=3e-4`);
    const path = set.slice(0, eq).split("."), raw = set.slice(eq + 1);
    let node: Record<string, unknown> = out;
    for (const [i, key] of path.entries()) {
      if (node === null || typeof node !== "object" || !(key in node)) {
        const here = node && typeof node === "object" ? Object.keys(node).join(", ") : "(not an object)";
        throw new Error(
          `--set ${set}: profile ${profile.name} has no setting ${
            path.slice(0, i + 1).join(".")
          } (there: ${here})`,
        );
      }
      if (i < path.length - 1) node = node[key] as Record<string, unknown>;
      else node[key] = parse(raw, node[key]);
    }
  }
  out.why = `${profile.why} [--set ${sets.join(" ")}]`;
  return out;
}

function parse(raw: string, old: unknown): unknown {
  let v: unknown = raw;
  try {
    v = JSON.parse(raw);
  } catch { /* a plain string */ }
  if (typeof v !== typeof old) {
    throw new Error(`--set: ${raw} is a ${typeof v}, the setting is a ${typeof old}`);
  }
  return v;
}
