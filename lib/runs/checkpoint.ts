/**
 * Checkpoints in TensorFlow.js's weights format — a JSON manifest plus one
 * binary file, so a browser could load the weights — holding the parameters,
 * optimiser slots and carried recurrent state as named tensors, and, in the
 * manifest, the config, optimiser hyperparameters, RNG state, data position,
 * normalisation statistics and the run record.
 *
 * Layout: `<dir>/step-<n>/{model.json, weights.bin}` and `<dir>/latest.json`
 * naming the newest. Each step folder is written under a temporary name and
 * renamed; `latest.json` is replaced by rename: an interrupted write never
 * leaves a checkpoint that looks complete. A step written again (a resumed
 * run stopped at once) moves the old folder aside before the new one is
 * renamed in, so a kill between the two leaves the old one to restore:
 * `recoverFolder` does that at the next start and removes other leftovers.
 * The manifest records the SHA-256 and size of `weights.bin` and the SHA-256
 * of the rest of the manifest itself (step, record, data position, RNG
 * state); loading verifies them, checks that the step agrees with its folder's
 * name and with `latest.json`, and names the damaged file and the newest
 * intact earlier checkpoint. A tensor with a NaN or infinite value
 * is never written. `float16: true` stores the weights as float16 (tfjs
 * `quantization`), for small checkpoints shipped in the repo.
 * @module
 */
import { join } from "node:path";
import * as tf from "../tf.ts";
import { displayPath, exists } from "../util/paths.ts";
import { toFloat16Bits } from "./float16.ts";
import { faultPoint } from "../util/files.ts";
import {
  DamagedCheckpointError,
  manifestDigest,
  readJson,
  readManifest,
  sha256,
  verifiedWeights,
  type WeightSpec,
} from "./integrity.ts";

export { DamagedCheckpointError, manifestDigest, sha256, toFloat16Bits };

/** What a checkpoint holds besides tensors (JSON-serialisable). */
export type CheckpointMeta = Record<string, unknown>;

/** A loaded checkpoint. */
export interface Checkpoint {
  /** Named tensors: `param/<name>`, `opt/<slot>/<name>`, `state/<name>`. */
  tensors: Record<string, tf.Tensor>;
  meta: CheckpointMeta;
  /** The folder it came from. */
  path: string;
  /** The training step it was written at. */
  step: number;
}

/** Fails for a NaN or ±∞ in `data`, naming the tensor (non-finite weights are never written). */
function assertFinite(name: string, data: ArrayLike<number>, dir: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new Error(
        `${displayPath(dir)}: not writing a checkpoint: ${name}[${i}] is ${data[i]} (the run diverged)`,
      );
    }
  }
}

/** Whether `name` is what a killed checkpoint write left: `.step-N.tmp-<pid>`, `.step-N.old-<pid>`, `.latest.json.tmp-<pid>`. */
export const isLeftover = (name: string): boolean =>
  /^\.(step-\d+\.(tmp|old)|latest\.json\.tmp)-\d+$/.test(name);

/**
 * Puts right what killed writes left in `dir`: a step folder moved aside for
 * a re-save (`.step-N.old-<pid>`) goes back where the new one never arrived,
 * and `.step-*.tmp-*`, `.step-*.old-*` and `.latest.json.tmp-*` leftovers are
 * removed. Returns what it did, one line each.
 */
export function recoverFolder(dir: string): string[] {
  if (!exists(dir)) return [];
  const done: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const m = e.name.match(/^\.(step-\d+)\.old-\d+$/);
    if (m && !exists(join(dir, m[1]))) {
      Deno.renameSync(join(dir, e.name), join(dir, m[1]));
      done.push(`restored ${m[1]} (a re-save of it was cut off)`);
    }
  }
  const left = [...Deno.readDirSync(dir)].filter((e) => isLeftover(e.name));
  for (const e of left) Deno.removeSync(join(dir, e.name), { recursive: true });
  if (left.length) done.push(`removed ${left.length} leftover(s) of killed writes`);
  return done;
}

/**
 * Writes a checkpoint for `step` and points `latest.json` at it; keeps the
 * newest `keep`, and every one at a multiple of `keepEvery` steps (snapshots
 * to average, `deno task average`). Refuses a tensor with a non-finite value.
 */
export async function saveCheckpoint(
  dir: string,
  step: number,
  tensors: Record<string, tf.Tensor>,
  meta: CheckpointMeta,
  options: { float16?: boolean; keep?: number; keepEvery?: number } = {},
): Promise<string> {
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name];
    const data = await t.data();
    assertFinite(name, data, dir);
    const spec: WeightSpec = { name, shape: t.shape, dtype: t.dtype === "int32" ? "int32" : "float32" };
    if (options.float16 && spec.dtype === "float32" && name.startsWith("param/")) {
      spec.quantization = { dtype: "float16" };
      parts.push(new Uint8Array(toFloat16Bits(data as Float32Array).buffer));
    } else {
      parts.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice());
    }
    specs.push(spec);
  }
  const bin = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    bin.set(p, off);
    off += p.length;
  }
  await Deno.mkdir(dir, { recursive: true });
  const name = `step-${String(step).padStart(8, "0")}`;
  const tmp = join(dir, `.${name}.tmp-${Deno.pid}`);
  await Deno.mkdir(tmp, { recursive: true });
  const manifest: Record<string, unknown> = {
    format: "graves2013-checkpoint",
    version: 1,
    step,
    integrity: { "weights.bin": { bytes: bin.length, sha256: await sha256(bin) } },
    meta,
    weightsManifest: [{ paths: ["weights.bin"], weights: specs }],
  };
  (manifest.integrity as Record<string, unknown>).manifest = await manifestDigest(manifest);
  await Deno.writeFile(join(tmp, "weights.bin"), bin);
  faultPoint("weights-written");
  await Deno.writeTextFile(join(tmp, "model.json"), JSON.stringify(manifest, null, 1));
  faultPoint("manifest-written");
  const final = join(dir, name);
  // a re-save: the old folder steps aside (restored by recoverFolder if the new one never arrives)
  const aside = join(dir, `.${name}.old-${Deno.pid}`);
  if (exists(final)) {
    await Deno.rename(final, aside);
    faultPoint("old-aside");
  }
  await Deno.rename(tmp, final);
  faultPoint("step-renamed");
  if (exists(aside)) await Deno.remove(aside, { recursive: true });
  const latestTmp = join(dir, `.latest.json.tmp-${Deno.pid}`);
  await Deno.writeTextFile(latestTmp, JSON.stringify({ step, path: name }) + "\n");
  await Deno.rename(latestTmp, join(dir, "latest.json"));
  faultPoint("latest-renamed");
  const keep = options.keep ?? 2;
  const kept = (name: string) => !!options.keepEvery && Number(name.slice(5)) % options.keepEvery === 0;
  // The checkpoint just written always stays, even below older steps (a shipped
  // average whose first member is an earlier step than the copy it replaces).
  const old = stepFolders(dir).filter((n) => n !== name && !kept(n));
  for (const o of old.slice(0, Math.max(0, old.length - (keep - 1)))) {
    await Deno.remove(join(dir, o), { recursive: true });
  }
  return final;
}

/** The `step-<n>` folders of a run folder, oldest first. */
function stepFolders(dir: string): string[] {
  return [...Deno.readDirSync(dir)].filter((e) => e.isDirectory && /^step-\d+$/.test(e.name))
    .map((e) => e.name).sort();
}

/** Whether `dir` holds a checkpoint: a run folder (its `latest.json`) or a step folder (its `model.json`). */
export function holdsCheckpoint(dir: string): boolean {
  return exists(join(dir, "latest.json")) || exists(join(dir, "model.json"));
}

/**
 * The step folder `latest.json` names in `dir` (or `dir` itself, a step
 * folder given directly); a `latest.json` that names a missing folder or
 * is not a step's record counts as damaged.
 */
export function stepFolderOf(dir: string): string {
  const latest = join(dir, "latest.json");
  if (!exists(latest)) return dir;
  const l = readJson(latest);
  if (typeof l?.path !== "string" || !/^step-\d+$/.test(l.path) || !Number.isInteger(l.step)) {
    throw new DamagedCheckpointError(latest, "not a checkpoint pointer ({ step, path: step-<n> })");
  }
  if (!exists(join(dir, l.path, "model.json"))) {
    throw new DamagedCheckpointError(latest, `names ${l.path}, which is missing`);
  }
  return join(dir, l.path);
}

/** A checkpoint's record without its weights: metadata, folder and step. */
export function readCheckpointMeta(dir: string): { meta: CheckpointMeta; path: string; step: number } {
  const path = stepFolderOf(dir);
  const manifest = readManifest(path);
  return { meta: manifest.meta, path, step: manifest.step };
}

/**
 * Adds the SHA-256 of `weights.bin` and of the manifest itself to the
 * manifest of the checkpoint in `dir` where they are missing (checkpoints
 * written before they were recorded), after checking the file's size
 * against the manifest. Returns the weights' checksum; the weights are not
 * touched.
 */
export async function sealCheckpoint(dir: string): Promise<string> {
  const path = stepFolderOf(dir);
  const { manifest, group, bin } = await verifiedWeights(path);
  const sum = await sha256(bin);
  if (manifest.integrity?.manifest) return sum;
  const { format, version, step, integrity: _old, ...rest } = manifest;
  const sealed: Record<string, unknown> = {
    format,
    version,
    step,
    integrity: { [group.paths[0]]: { bytes: bin.length, sha256: sum } },
    ...rest,
  };
  (sealed.integrity as Record<string, unknown>).manifest = await manifestDigest(sealed);
  const tmp = join(path, `.model.json.tmp-${Deno.pid}`);
  await Deno.writeTextFile(tmp, JSON.stringify(sealed, null, 1));
  await Deno.rename(tmp, join(path, "model.json"));
  return sum;
}

/** The newest step folder of run folder `dir` older than `path` that passes its integrity check. */
async function newestIntact(dir: string, path: string): Promise<string | undefined> {
  if (!exists(join(dir, "latest.json"))) return undefined;
  // `path` is `dir` itself when latest.json could not name a folder: every step folder is a candidate
  const before = stepFolders(dir).filter((n) => path === dir || join(dir, n) < path).reverse();
  for (const n of before) {
    try {
      await verifiedWeights(join(dir, n));
      return join(dir, n);
    } catch { /* damaged too: look further back */ }
  }
  return undefined;
}

/**
 * Loads the checkpoint `latest.json` names in `dir` (or a step folder given
 * directly), verified. A damaged one throws `DamagedCheckpointError` naming
 * the file and the newest intact earlier checkpoint; with `lastGood`, that
 * one is loaded instead (and `fellBackFrom` says which was skipped).
 */
export async function loadCheckpoint(
  dir: string,
  o: { lastGood?: boolean } = {},
): Promise<Checkpoint & { fellBackFrom?: string }> {
  let path = dir;
  try {
    path = stepFolderOf(dir);
    const { manifest, group, bin } = await verifiedWeights(path);
    const tensors = tf.io.decodeWeights(
      bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length),
      group.weights,
    ) as Record<string, tf.Tensor>;
    return { tensors, meta: manifest.meta, path, step: manifest.step };
  } catch (e) {
    if (!(e instanceof DamagedCheckpointError)) throw e;
    const intact = await newestIntact(dir, path);
    if (!o.lastGood || !intact) {
      throw new DamagedCheckpointError(
        e.file,
        e.message.split(": ").slice(1).join(": ").split("; ")[0],
        intact,
      );
    }
    return { ...(await loadCheckpoint(intact)), fellBackFrom: path };
  }
}
