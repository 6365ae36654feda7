/**
 * Downloads for the public datasets (PTB, enwik8): progress on stderr, MD5
 * verified, written atomically (a partial download never looks finished).
 * @module
 */
import { dirname } from "node:path";
import { md5 } from "./checksum.ts";

/** Fetches `url` into memory, printing progress; verifies `expectMd5` when given. */
export async function fetchVerified(url: string, expectMd5?: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const total = Number(res.headers.get("content-length") ?? 0);
  const chunks: Uint8Array[] = [];
  let got = 0, lastPrint = 0;
  for await (const c of res.body) {
    chunks.push(c);
    got += c.length;
    if (performance.now() - lastPrint > 500) {
      lastPrint = performance.now();
      const pct = total ? ` (${((100 * got) / total).toFixed(0)}%)` : "";
      Deno.stderr.writeSync(new TextEncoder().encode(`\r${url}: ${(got / 1e6).toFixed(1)} MB${pct}`));
    }
  }
  Deno.stderr.writeSync(new TextEncoder().encode(`\r${url}: ${(got / 1e6).toFixed(1)} MB done\n`));
  const data = new Uint8Array(got);
  let off = 0;
  for (const c of chunks) {
    data.set(c, off);
    off += c.length;
  }
  if (expectMd5) {
    const sum = md5(data);
    if (sum !== expectMd5) throw new Error(`${url}: MD5 ${sum}, expected ${expectMd5}; not saved`);
  }
  return data;
}

/** Writes `data` to `path` atomically (temporary file + rename). */
export function writeAtomic(path: string, data: Uint8Array): void {
  Deno.mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.part-${Deno.pid}`;
  Deno.writeFileSync(tmp, data);
  Deno.renameSync(tmp, path);
}

/** The first file of a zip archive (stored or deflated), e.g. `enwik8` from `enwik8.zip`. */
export async function unzipFirst(zip: Uint8Array): Promise<{ name: string; data: Uint8Array }> {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  if (v.getUint32(0, true) !== 0x04034b50) throw new Error("not a zip archive (no local file header)");
  const method = v.getUint16(8, true);
  let size = v.getUint32(18, true);
  const nameLen = v.getUint16(26, true), extraLen = v.getUint16(28, true);
  const name = new TextDecoder().decode(zip.subarray(30, 30 + nameLen));
  const start = 30 + nameLen + extraLen;
  if (size === 0 || (v.getUint16(6, true) & 8)) size = zip.length - start; // sizes in a trailing descriptor
  const body = zip.subarray(start, start + size);
  if (method === 0) return { name, data: body.slice() };
  if (method !== 8) throw new Error(`zip entry ${name}: compression method ${method} not supported`);
  const out = new Response(
    new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("deflate-raw")),
  );
  return { name, data: new Uint8Array(await out.arrayBuffer()) };
}
