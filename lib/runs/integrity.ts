/**
 * What makes a checkpoint trustworthy: the SHA-256 of its weights file and of
 * its manifest (step, record, data position, RNG state), its step agreeing
 * with its folder's name and `latest.json`, and errors that name the damaged
 * file. `lib/runs/checkpoint.ts` writes and loads through these.
 * @module
 */
import { basename, dirname, join } from "node:path";
import { displayPath, exists } from "../util/paths.ts";

/** One tensor of a checkpoint's weights file (tfjs weights-manifest entry). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
  quantization?: { dtype: "float16" };
}

/** A checkpoint that failed its integrity check; `intact` is the newest earlier one that passes, if any. */
export class DamagedCheckpointError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly intact?: string) {
    super(
      `${displayPath(file)}: ${reason}` +
        (intact
          ? `; the newest intact checkpoint is ${displayPath(intact)} (--resume=last-good goes on from it)`
          : "; no intact earlier checkpoint in this folder"),
    );
    this.name = "DamagedCheckpointError";
  }
}

/** Hex SHA-256 of `bytes`. */
export async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The SHA-256 of a manifest less its own digest: what `integrity.manifest` records. */
export async function manifestDigest(m: Record<string, unknown>): Promise<string> {
  const { integrity, ...rest } = m as { integrity?: Record<string, unknown> };
  const { manifest: _self, ...files } = integrity ?? {};
  return await sha256(new TextEncoder().encode(JSON.stringify({ ...rest, integrity: files })));
}

/** JSON from `path`; a parse error names the file. */
export function readJson(path: string) {
  const text = Deno.readTextFileSync(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DamagedCheckpointError(path, `not valid JSON (${(e as Error).message})`);
  }
}

/** The manifest (model.json) of a step folder. */
export function readManifest(path: string) {
  const manifestPath = join(path, "model.json");
  if (!exists(manifestPath)) {
    throw new Error(`${displayPath(path)}: no checkpoint (no latest.json or model.json)`);
  }
  const manifest = readJson(manifestPath);
  if (manifest.format !== "graves2013-checkpoint") {
    throw new Error(`${displayPath(manifestPath)}: not a graves2013 checkpoint`);
  }
  return manifest;
}

/**
 * The weights file of a step folder, checked against its manifest's size and
 * SHA-256 (older ones: size), the manifest against its own digest (where it
 * records one), and its step against the folder's name and `latest.json`.
 */
export async function verifiedWeights(path: string) {
  const manifest = readManifest(path);
  const want = manifest.integrity?.manifest;
  if (want && want !== await manifestDigest(manifest)) {
    throw new DamagedCheckpointError(
      join(path, "model.json"),
      "its SHA-256 differs from the one it records (edited or damaged)",
    );
  }
  const named = basename(path).match(/^step-(\d+)$/);
  if (named && Number(named[1]) !== manifest.step) {
    throw new DamagedCheckpointError(
      join(path, "model.json"),
      `records step ${manifest.step}, but its folder is ${basename(path)}`,
    );
  }
  const latest = join(dirname(path), "latest.json");
  if (named && exists(latest)) {
    const l = readJson(latest);
    if (l.path === basename(path) && l.step !== manifest.step) {
      throw new DamagedCheckpointError(
        latest,
        `says step ${l.step} for ${l.path}, which records ${manifest.step}`,
      );
    }
  }
  const group = manifest.weightsManifest[0];
  const file = join(path, group.paths[0]);
  if (!exists(file)) throw new DamagedCheckpointError(file, "missing");
  const bin = await Deno.readFile(file);
  const expected = (group.weights as WeightSpec[]).reduce(
    (s, w) => s + w.shape.reduce((a, b) => a * b, 1) * (w.quantization ? 2 : 4),
    0,
  );
  if (bin.length !== expected) {
    throw new DamagedCheckpointError(
      file,
      `${bin.length} bytes, the manifest's weights need ${expected} (truncated?)`,
    );
  }
  const wantBin = manifest.integrity?.[group.paths[0]]?.sha256;
  if (wantBin && wantBin !== await sha256(bin)) {
    throw new DamagedCheckpointError(file, "its SHA-256 differs from the manifest's (damaged)");
  }
  return { manifest, group, bin };
}
