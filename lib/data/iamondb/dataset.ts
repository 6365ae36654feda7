/**
 * IAM-OnDB as the paper uses it: every handwritten line as pen offsets with
 * its transcription, read straight from the distributed archives
 * (`lineStrokes-all.tar.gz`, `ascii-all.tar.gz`) or from extracted folders,
 * and cached in a documented binary file keyed by the sources' checksums.
 *
 * Cache file layout (little-endian): the 8 bytes `GRVSIAM1`, a u32 header
 * length H, H bytes of JSON header (`CacheHeader`), zero padding to a multiple
 * of 4, then float32 (Δx, Δy, e) triples of every line, in header order.
 * Caches contain IAM-OnDB strokes: they live in `data/cache/` and are never
 * committed.
 * @module
 */
import { join } from "node:path";
import { cacheDir, dataRoot, exists } from "../../util/paths.ts";
import { md5, md5File } from "../checksum.ts";
import { DataError } from "../errors.ts";
import { readTar, type TarEntry } from "../tar.ts";
import { parseStrokeSet } from "./strokes.ts";
import { parseCsr, strokeFileId, transcriptionForm } from "./transcriptions.ts";
import { MAX_PEN_DOWN_JUMP, type Offsets, strokesToOffsets } from "./offsets.ts";

/** One handwritten line. */
export interface HandwritingLine extends Offsets {
  /** e.g. `a01-000u-01` (the lineStrokes file name without `.xml`). */
  id: string;
  /** Its transcription from the form's `CSR:` section. */
  text: string;
}

/** Something left out, and why. */
export interface Skip {
  file: string;
  reason: string;
  /** How many lines it cost. */
  lines: number;
}

/** The whole corpus after pairing. */
export interface IamOnDb {
  lines: HandwritingLine[];
  skipped: Skip[];
  /** Strokes split at implausible pen-down jumps. */
  jumpSplits: number;
  /** Identifies the sources and preprocessing (the cache key). */
  fingerprint: string;
  /** Where the data came from. */
  source: string;
  /** Whether this came from the cache, and how long loading took. */
  fromCache: boolean;
  seconds: number;
}

interface CacheHeader {
  version: number;
  fingerprint: string;
  source: string;
  lines: { id: string; text: string; n: number }[];
  skipped: Skip[];
  jumpSplits: number;
  /** The number of floats after the header, and their MD5: the cache checks itself before use. */
  floats: number;
  md5: string;
}

/** 2: coordinates parsed strictly, and the cache carries its own length and checksum. */
const VERSION = 2;
const MAGIC = "GRVSIAM1";

/** The two archives users download after registering with the IAM-OnDB site. */
export const IAM_ARCHIVES = ["lineStrokes-all.tar.gz", "ascii-all.tar.gz"] as const;

/** Options for `loadIamOnDb`. */
export interface IamOptions {
  /** Folder holding the archives or `lineStrokes/` + `ascii/`. @default `${GRAVES_DATA}/iamondb` */
  dir?: string;
  /** @default MAX_PEN_DOWN_JUMP */
  maxPenDownJump?: number;
  /** Ignore and rewrite the cache. @default false */
  rebuild?: boolean;
  /** Where the cache lives. @default `cacheDir()` */
  cache?: string;
}

async function* walk(dir: string, rel = ""): AsyncGenerator<TarEntry> {
  const entries = [];
  for await (const e of Deno.readDir(join(dir, rel))) entries.push(e);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) yield* walk(dir, p);
    else if (e.isFile) yield { path: p, data: await Deno.readFile(join(dir, p)) };
  }
}

/** The sources found in `dir`, or an error telling the user what to download. */
export function locateIam(dir: string): { strokes: string; ascii: string; kind: "archives" | "folders" } {
  const [sa, aa] = IAM_ARCHIVES.map((a) => join(dir, a));
  if (exists(sa) && exists(aa)) return { strokes: sa, ascii: aa, kind: "archives" };
  if (exists(join(dir, "lineStrokes")) && exists(join(dir, "ascii"))) {
    return { strokes: dir, ascii: dir, kind: "folders" };
  }
  throw new DataError(
    dir,
    "IAM-OnDB not found. Register at https://fki.tic.heia-fr.ch/databases/iam-on-line-handwriting-database, " +
      `download ${IAM_ARCHIVES.join(" and ")} and put them in this folder (or set GRAVES_DATA).`,
  );
}

async function fingerprintOf(src: ReturnType<typeof locateIam>, maxJump: number): Promise<string> {
  let sources: string;
  if (src.kind === "archives") {
    sources = (await Promise.all([md5File(src.strokes), md5File(src.ascii)])).join(",");
  } else {
    const parts: string[] = [];
    for await (const e of walk(src.strokes)) parts.push(`${e.path}:${md5(e.data)}`);
    sources = md5(parts.join("\n"));
  }
  return md5(`v${VERSION};jump=${maxJump};${sources}`).slice(0, 16);
}

function entries(src: ReturnType<typeof locateIam>, which: "strokes" | "ascii") {
  if (src.kind === "archives") return readTar(which === "strokes" ? src.strokes : src.ascii);
  return walk(src.strokes, which === "strokes" ? "lineStrokes" : "ascii");
}

/** Parses and pairs the whole corpus (no cache). */
async function build(src: ReturnType<typeof locateIam>, maxJump: number) {
  const latin1 = new TextDecoder("latin1");
  const skipped: Skip[] = [];
  const csr = new Map<string, { file: string; lines: string[] }>();
  for await (const e of entries(src, "ascii")) {
    const form = transcriptionForm(e.path);
    if (!form) continue;
    try {
      csr.set(form, { file: e.path, lines: parseCsr(latin1.decode(e.data), e.path) });
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      skipped.push({ file: e.path, reason: err.reason, lines: 0 });
    }
  }
  const forms = new Map<string, { line: number; id: string; offsets: Offsets; file: string }[]>();
  let jumpSplits = 0;
  for await (const e of entries(src, "strokes")) {
    if (!e.path.endsWith(".xml")) continue;
    const id = strokeFileId(e.path);
    if (!id) {
      skipped.push({ file: e.path, reason: "file name is not <form>-<line>.xml", lines: 1 });
      continue;
    }
    try {
      const { offsets, splits } = strokesToOffsets(parseStrokeSet(latin1.decode(e.data), e.path), maxJump);
      jumpSplits += splits;
      const list = forms.get(id.form) ?? [];
      list.push({ line: id.line, id: id.id, offsets, file: e.path });
      forms.set(id.form, list);
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      skipped.push({ file: e.path, reason: err.message, lines: 1 });
    }
  }
  const lines: HandwritingLine[] = [];
  for (const [form, files] of [...forms].sort(([a], [b]) => a.localeCompare(b))) {
    files.sort((a, b) => a.line - b.line);
    const t = csr.get(form);
    if (!t) {
      skipped.push({ file: `${form}`, reason: "no transcription file for this form", lines: files.length });
      continue;
    }
    if (t.lines.length !== files.length) {
      skipped.push({
        file: t.file,
        reason: `${files.length} stroke files but ${t.lines.length} CSR lines: cannot pair them`,
        lines: files.length,
      });
      continue;
    }
    files.forEach((f, i) => lines.push({ id: f.id, text: t.lines[i], ...f.offsets }));
  }
  return { lines, skipped, jumpSplits };
}

function writeCache(path: string, h: Omit<CacheHeader, "floats" | "md5">, lines: HandwritingLine[]): void {
  const total = lines.reduce((s, l) => s + 3 * l.n, 0);
  const data = new Float32Array(total);
  let off = 0;
  for (const l of lines) {
    data.set(l.points.subarray(0, 3 * l.n), off);
    off += 3 * l.n;
  }
  const bytes = new Uint8Array(data.buffer);
  const head = new TextEncoder().encode(JSON.stringify({ ...h, floats: total, md5: md5(bytes) }));
  const pad = (4 - ((12 + head.length) % 4)) % 4;
  const buf = new Uint8Array(12 + head.length + pad + 4 * total);
  buf.set(new TextEncoder().encode(MAGIC));
  new DataView(buf.buffer).setUint32(8, head.length, true);
  buf.set(head, 12);
  buf.set(bytes, 12 + head.length + pad);
  Deno.mkdirSync(join(path, ".."), { recursive: true });
  const tmp = `${path}.tmp-${Deno.pid}`;
  Deno.writeFileSync(tmp, buf);
  Deno.renameSync(tmp, path); // atomic: a reader never sees half a cache
}

/**
 * The cache at `path`, checked against its own header: its magic, a header
 * that parses, and exactly `floats` floats with the recorded MD5. Anything
 * else throws a `DataError` naming the file and what is wrong.
 */
export function readCache(path: string): CacheHeader & { data: Float32Array } {
  const buf = Deno.readFileSync(path);
  if (new TextDecoder().decode(buf.subarray(0, 8)) !== MAGIC) throw new DataError(path, "not a cache file");
  const len = new DataView(buf.buffer, buf.byteOffset).getUint32(8, true);
  let h: CacheHeader;
  try {
    h = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + len))) as CacheHeader;
  } catch {
    throw new DataError(path, "damaged cache: its header is not valid JSON");
  }
  const start = 12 + len + ((4 - ((12 + len) % 4)) % 4);
  if (h.version !== VERSION) return { ...h, data: new Float32Array(0) }; // another version: rebuilt by the caller
  if (buf.length - start !== 4 * h.floats) {
    throw new DataError(
      path,
      `damaged cache: ${buf.length - start} bytes of points, its header says ${4 * h.floats}`,
    );
  }
  if (md5(buf.subarray(start)) !== h.md5) {
    throw new DataError(path, "damaged cache: its points fail their MD5");
  }
  const copy = buf.byteOffset % 4 === 0 ? buf : buf.slice();
  return { ...h, data: new Float32Array(copy.buffer, copy.byteOffset + start, h.floats) };
}

/**
 * Loads IAM-OnDB: from the cache when its key (archive checksums, preprocessing
 * version, jump threshold) matches, else parses the sources and writes the cache.
 */
export async function loadIamOnDb(options: IamOptions = {}): Promise<IamOnDb> {
  const t0 = performance.now();
  const dir = options.dir ?? join(dataRoot(), "iamondb");
  const maxJump = options.maxPenDownJump ?? MAX_PEN_DOWN_JUMP;
  const src = locateIam(dir);
  const fingerprint = await fingerprintOf(src, maxJump);
  const path = join(options.cache ?? cacheDir(), `iamondb-${fingerprint}.bin`);
  const source = src.kind === "archives" ? `${dir} (archives)` : `${dir} (extracted folders)`;
  let cached: ReturnType<typeof readCache> | undefined;
  try {
    if (!options.rebuild && exists(path)) cached = readCache(path);
  } catch (e) {
    // never used when it fails its own check: said, then parsed again from the sources
    console.warn(`${(e as Error).message}; rebuilding it from the sources`);
  }
  if (cached) {
    const c = cached;
    if (c.version === VERSION && c.fingerprint === fingerprint) {
      let off = 0;
      const lines = c.lines.map((l) => {
        const points = c.data.subarray(off, off + 3 * l.n);
        off += 3 * l.n;
        return { id: l.id, text: l.text, n: l.n, points };
      });
      const seconds = (performance.now() - t0) / 1000;
      return {
        lines,
        skipped: c.skipped,
        jumpSplits: c.jumpSplits,
        fingerprint,
        source,
        fromCache: true,
        seconds,
      };
    }
  }
  const { lines, skipped, jumpSplits } = await build(src, maxJump);
  writeCache(path, {
    version: VERSION,
    fingerprint,
    source,
    lines: lines.map(({ id, text, n }) => ({ id, text, n })),
    skipped,
    jumpSplits,
  }, lines);
  const seconds = (performance.now() - t0) / 1000;
  return { lines, skipped, jumpSplits, fingerprint, source, fromCache: false, seconds };
}
