/**
 * Streaming reader for (gzipped) tar archives, so IAM-OnDB's archives can be
 * read as distributed, without extracting them. Handles ustar/GNU headers,
 * including GNU long names (`././@LongLink`) and pax `path` records.
 * @module
 */
import { DataError } from "./errors.ts";

/** One regular file from an archive. */
export interface TarEntry {
  /** Path inside the archive, e.g. `lineStrokes/a01/a01-000/a01-000u-01.xml`. */
  path: string;
  /** The file's bytes. */
  data: Uint8Array;
}

const BLOCK = 512;

function field(h: Uint8Array, start: number, len: number): string {
  let end = start;
  while (end < start + len && h[end] !== 0) end++;
  return new TextDecoder("latin1").decode(h.subarray(start, end));
}

function octal(h: Uint8Array, start: number, len: number): number {
  const s = field(h, start, len).trim();
  return s === "" ? 0 : parseInt(s, 8);
}

/** Reads whole chunks from a byte stream into a growing buffer. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private done = false;
  constructor(private reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Returns exactly `n` bytes, or fewer only at the end of the stream. */
  async take(n: number): Promise<Uint8Array> {
    while (this.size < n && !this.done) {
      const { value, done } = await this.reader.read();
      if (done) this.done = true;
      else if (value.length) {
        this.chunks.push(value);
        this.size += value.length;
      }
    }
    const m = Math.min(n, this.size);
    const out = new Uint8Array(m);
    let off = 0;
    while (off < m) {
      const c = this.chunks[0];
      const k = Math.min(c.length, m - off);
      out.set(c.subarray(0, k), off);
      off += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.size -= m;
    return out;
  }
}

/**
 * Iterates over the regular files of a tar archive at `path` (gunzipped on
 * the fly when the name ends in `.gz` or `.tgz`). A truncated or corrupt
 * archive throws a `DataError` naming the archive and the entry.
 */
export async function* readTar(path: string): AsyncGenerator<TarEntry> {
  const file = await Deno.open(path);
  let stream = file.readable as ReadableStream<Uint8Array>;
  if (/\.(gz|tgz)$/.test(path)) {
    stream = (file.readable as ReadableStream<Uint8Array<ArrayBuffer>>).pipeThrough(
      new DecompressionStream("gzip"),
    );
  }
  const q = new ByteQueue(stream.getReader());
  let longName: string | undefined;
  let last = "(start of archive)";
  try {
    while (true) {
      const h = await q.take(BLOCK);
      if (h.length === 0) throw new DataError(path, `archive ends without its end marker after ${last}`);
      if (h.length < BLOCK) throw new DataError(path, `truncated header after ${last}`);
      if (h.every((b) => b === 0)) return; // end-of-archive marker
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
      if (sum !== octal(h, 148, 8)) throw new DataError(path, `corrupt header checksum after ${last}`);
      const size = octal(h, 124, 12);
      const type = String.fromCharCode(h[156] || 48);
      const prefix = field(h, 345, 155);
      const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
      const padded = Math.ceil(size / BLOCK) * BLOCK;
      const body = await q.take(padded);
      if (body.length < padded) {
        throw new DataError(path, `truncated entry ${name} (${body.length} of ${size} bytes)`);
      }
      const data = body.subarray(0, size);
      if (type === "L") {
        longName = field(data, 0, data.length);
        continue;
      }
      if (type === "x") {
        const m = new TextDecoder().decode(data).match(/\d+ path=([^\n]*)\n/);
        if (m) longName = m[1];
        continue;
      }
      longName = undefined;
      last = name;
      if (type === "0" || type === "\0") yield { path: name.replace(/^\.\//, ""), data };
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(path, `unreadable archive after ${last}: ${(e as Error).message}`);
  } finally {
    try {
      file.close();
    } catch { /* already closed by the stream */ }
  }
}
