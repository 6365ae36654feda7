/** Downloads: checksum verified, atomic write, and enwik8's zip unpacked (served from localhost). */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fetchVerified, unzipFirst, writeAtomic } from "../../lib/data/download.ts";
import { md5 } from "../../lib/data/checksum.ts";

/** A one-file zip made with the platform's deflate-raw (what enwik8.zip holds). */
async function zipOf(name: string, data: Uint8Array): Promise<Uint8Array> {
  const deflated = new Uint8Array(
    await new Response(
      new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("deflate-raw")),
    )
      .arrayBuffer(),
  );
  const nameBytes = new TextEncoder().encode(name);
  const h = new DataView(new ArrayBuffer(30));
  h.setUint32(0, 0x04034b50, true);
  h.setUint16(8, 8, true); // deflate
  h.setUint32(18, deflated.length, true);
  h.setUint32(22, data.length, true);
  h.setUint16(26, nameBytes.length, true);
  const out = new Uint8Array(30 + nameBytes.length + deflated.length + 22);
  out.set(new Uint8Array(h.buffer));
  out.set(nameBytes, 30);
  out.set(deflated, 30 + nameBytes.length);
  return out;
}

Deno.test("fetchVerified checks the MD5, unzipFirst unpacks, writeAtomic leaves no partial file", async () => {
  const payload = new TextEncoder().encode("<mediawiki>".repeat(1000));
  const zip = await zipOf("enwik8", payload);
  const ac = new AbortController();
  const server = Deno.serve({ port: 0, signal: ac.signal, onListen() {} }, (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/enwik8.zip") return new Response(zip as Uint8Array<ArrayBuffer>);
    return new Response("not found", { status: 404 });
  });
  const base = `http://localhost:${server.addr.port}`;
  try {
    const got = await fetchVerified(`${base}/enwik8.zip`, md5(zip));
    const { name, data } = await unzipFirst(got);
    assert.equal(name, "enwik8");
    assert.deepEqual(data, payload);
    await assert.rejects(
      () => fetchVerified(`${base}/enwik8.zip`, "0".repeat(32)),
      /MD5 [0-9a-f]{32}, expected 0{32}; not saved/,
    );
    await assert.rejects(() => fetchVerified(`${base}/missing`), /HTTP 404/);
    const dir = await Deno.makeTempDir();
    writeAtomic(join(dir, "enwik8", "enwik8"), data);
    assert.deepEqual([...Deno.readDirSync(join(dir, "enwik8"))].map((e) => e.name), ["enwik8"]);
  } finally {
    ac.abort();
    await server.finished;
  }
});
