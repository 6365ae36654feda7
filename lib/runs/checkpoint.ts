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
 * leaves a checkpoint that looks complete. `float16: true` stores the weights
 * as float16 (tfjs `quantization`), for small checkpoints shipped in the repo.
 * @module
 */
import { join } from "node:path";
import * as tf from "../tf.ts";
import { exists } from "../util/paths.ts";

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

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
  quantization?: { dtype: "float16" };
}

/** float32 → IEEE half bits (round to nearest even). */
export function toFloat16Bits(v: Float32Array): Uint16Array {
  const f = new Float32Array(1), u = new Uint32Array(f.buffer);
  const out = new Uint16Array(v.length);
  for (let i = 0; i < v.length; i++) {
    f[0] = v[i];
    const x = u[0], sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 127 + 15;
    let mant = x & 0x7fffff;
    if (((x >>> 23) & 0xff) === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    if (exp >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (exp <= 0) {
      if (exp < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - exp;
      let half = mant >>> shift;
      const rem = mant & ((1 << shift) - 1), mid = 1 << (shift - 1);
      if (rem > mid || (rem === mid && half & 1)) half++;
      out[i] = sign | half;
      continue;
    }
    let half = (exp << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
    out[i] = sign | half;
  }
  return out;
}

/**
 * Writes a checkpoint for `step` and points `latest.json` at it; keeps the
 * newest `keep`, and every one at a multiple of `keepEvery` steps (snapshots
 * to average, `deno task average`).
 */
export async function saveCheckpoint(
  dir: string,
  step: number,
  tensors: Record<string, tf.Tensor>,
  meta: CheckpointMeta,
  options: { float16?: boolean; keep?: number; keepEvery?: number } = {},
): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name];
    const data = await t.data();
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
  const name = `step-${String(step).padStart(8, "0")}`;
  const tmp = join(dir, `.${name}.tmp-${Deno.pid}`);
  await Deno.mkdir(tmp, { recursive: true });
  const manifest = {
    format: "graves2013-checkpoint",
    version: 1,
    step,
    meta,
    weightsManifest: [{ paths: ["weights.bin"], weights: specs }],
  };
  await Deno.writeFile(join(tmp, "weights.bin"), bin);
  await Deno.writeTextFile(join(tmp, "model.json"), JSON.stringify(manifest, null, 1));
  const final = join(dir, name);
  if (exists(final)) await Deno.remove(final, { recursive: true });
  await Deno.rename(tmp, final);
  const latestTmp = join(dir, `.latest.json.tmp-${Deno.pid}`);
  await Deno.writeTextFile(latestTmp, JSON.stringify({ step, path: name }) + "\n");
  await Deno.rename(latestTmp, join(dir, "latest.json"));
  const keep = options.keep ?? 2;
  const kept = (name: string) => !!options.keepEvery && Number(name.slice(5)) % options.keepEvery === 0;
  // The checkpoint just written always stays, even below older steps (a shipped
  // average whose first member is an earlier step than the copy it replaces).
  const old = [...Deno.readDirSync(dir)].filter((e) => e.isDirectory && /^step-\d+$/.test(e.name))
    .map((e) => e.name).filter((n) => n !== name && !kept(n)).sort();
  for (const o of old.slice(0, Math.max(0, old.length - (keep - 1)))) {
    await Deno.remove(join(dir, o), { recursive: true });
  }
  return final;
}

/** Whether `dir` holds a checkpoint: a run folder (its `latest.json`) or a step folder (its `model.json`). */
export function holdsCheckpoint(dir: string): boolean {
  return exists(join(dir, "latest.json")) || exists(join(dir, "model.json"));
}

/** The manifest (model.json) of the checkpoint `latest.json` names in `dir` (or of a step folder given directly). */
function readManifest(dir: string) {
  let path = dir;
  if (exists(join(dir, "latest.json"))) {
    const latest = JSON.parse(Deno.readTextFileSync(join(dir, "latest.json")));
    path = join(dir, latest.path);
  }
  const manifestPath = join(path, "model.json");
  if (!exists(manifestPath)) throw new Error(`${dir}: no checkpoint (no latest.json or model.json)`);
  const manifest = JSON.parse(Deno.readTextFileSync(manifestPath));
  if (manifest.format !== "graves2013-checkpoint") {
    throw new Error(`${manifestPath}: not a graves2013 checkpoint`);
  }
  return { manifest, path };
}

/** A checkpoint's record without its weights: metadata, folder and step. */
export function readCheckpointMeta(dir: string): { meta: CheckpointMeta; path: string; step: number } {
  const { manifest, path } = readManifest(dir);
  return { meta: manifest.meta, path, step: manifest.step };
}

/** Loads the checkpoint `latest.json` names in `dir` (or a step folder given directly). */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const { manifest, path } = readManifest(dir);
  const group = manifest.weightsManifest[0];
  const bin = await Deno.readFile(join(path, group.paths[0]));
  const expected = (group.weights as WeightSpec[]).reduce(
    (s, w) => s + w.shape.reduce((a, b) => a * b, 1) * (w.quantization ? 2 : 4),
    0,
  );
  if (bin.length !== expected) {
    throw new Error(
      `${join(path, group.paths[0])}: ${bin.length} bytes, manifest says ${expected} (truncated?)`,
    );
  }
  const tensors = tf.io.decodeWeights(
    bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length),
    group.weights,
  ) as Record<string, tf.Tensor>;
  return { tensors, meta: manifest.meta, path, step: manifest.step };
}
