/**
 * The static server probed as an attacker on the loopback would and as a
 * browser does: raw requests over TCP (so that no client tidies the path),
 * against a folder with siblings named like it and a symlink out of it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { byteRange, hostName, PAGE_CSP, parseHead, serveFolder } from "../../lib/web/static_server.ts";
import { buildWeb } from "../../lib/web/build.ts";
import { WRITES } from "../../lib/experiments/registry.ts";
import { shippedDir } from "../../lib/runs/run.ts";
import { stepFolderOf } from "../../lib/runs/checkpoint.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";

/** Sends `request` as it is and returns the status, headers and body of the answer. */
async function raw(port: number, request: string) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(request));
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(1 << 16);
  while (true) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) break;
    chunks.push(buf.slice(0, n));
  }
  conn.close();
  const all = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  chunks.reduce((at, c) => (all.set(c, at), at + c.length), 0);
  const text = new TextDecoder("latin1").decode(all);
  const [head, ...body] = text.split("\r\n\r\n");
  const [line, ...lines] = head.split("\r\n");
  const headers = new Map(
    lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
  );
  return { status: Number(line.split(" ")[1]), headers, body: body.join("\r\n\r\n") };
}

const get = (path: string, host = "localhost:8000", method = "GET", extra = "") =>
  `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${extra}\r\n`;

async function fixture() {
  const top = await Deno.makeTempDir({ prefix: "graves-serve-" });
  const dist = join(top, "dist");
  Deno.mkdirSync(join(dist, "checkpoint"), { recursive: true });
  Deno.writeTextFileSync(join(dist, "index.html"), "<!doctype html><title>page</title>");
  Deno.writeTextFileSync(join(dist, "app.js"), "console.log(1)");
  Deno.writeFileSync(
    join(dist, "checkpoint", "weights.bin"),
    Uint8Array.from({ length: 1000 }, (_, i) => i % 251),
  );
  Deno.writeTextFileSync(join(top, "dist.txt"), "SIBLING FILE");
  Deno.mkdirSync(join(top, "dist-private"));
  Deno.writeTextFileSync(join(top, "dist-private", "secret.txt"), "SECRET");
  Deno.symlinkSync(join(top, "dist-private", "secret.txt"), join(dist, "link.txt"));
  Deno.symlinkSync(join(top, "dist-private"), join(dist, "linkdir"));
  return { top, dist };
}

Deno.test({
  name: "serve: nothing outside the folder, 405/400/421/431/408, nosniff and CSP, Range and Content-Length",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { dist } = await fixture();
    const server = serveFolder({ dir: dist, port: 0, headerTimeoutMs: 1500 });
    try {
      const p = server.port;
      const page = await raw(p, get("/"));
      assert.equal(page.status, 200);
      assert.match(page.body, /<title>page/);
      assert.equal(page.headers.get("x-content-type-options"), "nosniff");
      assert.equal(page.headers.get("content-security-policy"), PAGE_CSP);
      assert.equal(page.headers.get("cache-control"), "no-cache");
      assert.equal(page.headers.get("content-length"), String(page.body.length));
      for (
        const path of [
          "/../dist.txt",
          "/..%2fdist.txt",
          "/..%2fdist-private%2fsecret.txt",
          "/%2e%2e/dist.txt",
          "/%2e%2e%2fdist-private/secret.txt",
          "/checkpoint/..%2f..%2fdist.txt",
          "/link.txt",
          "/linkdir/secret.txt",
          "/..",
          "//etc/passwd",
          "/%2fetc%2fpasswd",
          "/checkpoint",
        ]
      ) {
        const r = await raw(p, get(path));
        assert.equal(r.status, 404, `${path}: ${r.status}`);
        assert.doesNotMatch(r.body, /SIBLING|SECRET|root:/, path);
        assert.equal(r.headers.get("x-content-type-options"), "nosniff", path);
      }
      for (const path of ["/%", "/%zz", "/a%00b"]) assert.equal((await raw(p, get(path))).status, 400, path);
      for (const m of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"]) {
        const r = await raw(p, get("/", "localhost", m, "Content-Length: 0\r\n"));
        assert.equal(r.status, 405, m);
        assert.equal(r.headers.get("allow"), "GET, HEAD");
      }
      for (const host of ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.2"]) {
        assert.equal((await raw(p, get("/", host))).status, 421, host);
      }
      assert.equal((await raw(p, "GET / HTTP/1.1\r\n\r\n")).status, 421, "no Host at all");
      for (const host of ["localhost", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"]) {
        assert.equal((await raw(p, get("/", host))).status, 200, host);
      }
      assert.equal((await raw(p, "GARBAGE\r\n\r\n")).status, 400);
      assert.equal(
        (await raw(p, `GET / HTTP/1.1\r\nHost: localhost\r\nX: ${"a".repeat(20_000)}\r\n\r\n`)).status,
        431,
      );
      const head = await raw(p, get("/checkpoint/weights.bin", "localhost", "HEAD"));
      assert.deepEqual([head.status, head.headers.get("content-length"), head.body], [200, "1000", ""]);
      const part = await raw(p, get("/checkpoint/weights.bin", "localhost", "GET", "Range: bytes=10-19\r\n"));
      assert.equal(part.status, 206);
      assert.equal(part.headers.get("content-range"), "bytes 10-19/1000");
      assert.deepEqual(
        Array.from(part.body, (c) => c.charCodeAt(0)),
        Array.from({ length: 10 }, (_, i) => (10 + i) % 251),
      );
      const beyond = await raw(
        p,
        get("/checkpoint/weights.bin", "localhost", "GET", "Range: bytes=5000-\r\n"),
      );
      assert.deepEqual([beyond.status, beyond.headers.get("content-range")], [416, "bytes */1000"]);
      // a header dripped one byte at a time is cut off at the deadline
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: p });
      const t0 = performance.now();
      await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: local"));
      const drip = setInterval(() => conn.write(new TextEncoder().encode("h")).catch(() => {}), 300);
      const got = await conn.read(new Uint8Array(64)).catch(() => null);
      clearInterval(drip);
      conn.close();
      const waited = performance.now() - t0;
      assert.equal(got, null, "the connection is closed, not answered");
      assert.ok(waited < 5000, `closed after ${waited.toFixed(0)} ms (deadline 1.5 s)`);
      // a browser's fetch still gets the page
      const r = await fetch(`http://localhost:${p}/app.js`);
      assert.equal(await r.text(), "console.log(1)");
      assert.equal(r.headers.get("content-type"), "text/javascript; charset=utf-8");
    } finally {
      await server.close();
    }
  },
});

Deno.test("serve: the parsing rules", () => {
  assert.deepEqual(parseHead("GET /a HTTP/1.1\r\nHost: x\r\nHost: y"), { refuse: 400 }, "two Host headers");
  assert.deepEqual(parseHead("GET /a HTTP/2.0"), { refuse: 400 });
  assert.deepEqual(parseHead("GET /a HTTP/1.1\r\nBad Header: x"), { refuse: 400 });
  assert.equal(hostName("[::1]:8000"), "::1");
  assert.equal(hostName("LocalHost:1"), "localhost");
  assert.deepEqual(byteRange("bytes=0-", 10), [0, 9]);
  assert.deepEqual(byteRange("bytes=-3", 10), [7, 9]);
  assert.deepEqual(byteRange("bytes=5-100", 10), [5, 9]);
  assert.equal(byteRange("bytes=0-1,3-4", 10), undefined, "several ranges: the whole file");
  assert.equal(byteRange("bytes=20-", 10), "unsatisfiable");
});

Deno.test("serve: the build starts from empty, refuses a folder it did not make, and a damaged checkpoint", async () => {
  const out = join(await Deno.makeTempDir({ prefix: "graves-web-" }), "dist");
  await buildWeb(out, WRITES.shipped);
  Deno.writeTextFileSync(join(out, "stale.js"), "an earlier build's asset");
  await buildWeb(out, WRITES.shipped);
  assert.ok(!(await Deno.stat(join(out, "stale.js")).then(() => true, () => false)), "stale files removed");
  const mine = await Deno.makeTempDir();
  Deno.writeTextFileSync(join(mine, "notes.txt"), "mine");
  await assert.rejects(() => buildWeb(mine, WRITES.shipped), /not empty and not an earlier build/);
  assert.equal(Deno.readTextFileSync(join(mine, "notes.txt")), "mine", "nothing of it deleted");
  // a copy of the shipped checkpoint with one flipped byte in its weights
  const copy = await Deno.makeTempDir();
  const step = stepFolderOf(shippedDir("synthesis"));
  const stepName = step.split("/").at(-1)!;
  await Deno.mkdir(join(copy, stepName));
  for (const e of Deno.readDirSync(step)) {
    await Deno.copyFile(join(step, e.name), join(copy, stepName, e.name));
  }
  await Deno.copyFile(join(shippedDir("synthesis"), "latest.json"), join(copy, "latest.json"));
  const bin = [...Deno.readDirSync(join(copy, stepName))].find((e) => e.name.endsWith(".bin"))!.name;
  const bytes = Deno.readFileSync(join(copy, stepName, bin));
  bytes[1000] ^= 0x01;
  Deno.writeFileSync(join(copy, stepName, bin), bytes);
  await assert.rejects(() => buildWeb(out, copy), /SHA-256 differs/);
  assert.ok(await Deno.stat(join(out, "index.html")).then(() => true), "the earlier page is left whole");
});

Deno.test({
  name:
    "serve: deno task serve itself: siblings of web/dist stay private, POST 405, /%zz 400, foreign Host 421",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const web = join(PROJECT_ROOT, "web");
    const planted = [join(web, "dist.txt"), join(web, "dist-private")];
    for (const p of planted) {
      assert.ok(!(await Deno.stat(p).then(() => true, () => false)), `${p} exists already`);
    }
    Deno.writeTextFileSync(planted[0], "SIBLING FILE");
    Deno.mkdirSync(planted[1]);
    Deno.writeTextFileSync(join(planted[1], "secret.txt"), "SECRET");
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", "serve", "--port", String(port)],
      cwd: PROJECT_ROOT,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    try {
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let said = "";
      while (!said.includes("serving http://")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`deno task serve ended: ${said}`);
        said += value;
      }
      assert.equal((await raw(port, get("/"))).status, 200);
      for (
        const path of [
          "/..%2fdist.txt",
          "/..%2fdist-private%2fsecret.txt",
          "/%2e%2e/dist.txt",
          "/../dist.txt",
        ]
      ) {
        const r = await raw(port, get(path));
        assert.equal(r.status, 404, path);
        assert.doesNotMatch(r.body, /SIBLING|SECRET/);
      }
      assert.equal((await raw(port, get("/", "localhost", "POST", "Content-Length: 0\r\n"))).status, 405);
      assert.equal((await raw(port, get("/%zz"))).status, 400);
      assert.equal((await raw(port, get("/", "evil.example"))).status, 421);
      const ok = await raw(port, get("/"));
      assert.equal(ok.headers.get("x-content-type-options"), "nosniff");
      reader.releaseLock();
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
      await child.stderr.cancel().catch(() => {});
      Deno.removeSync(planted[0]);
      Deno.removeSync(planted[1], { recursive: true });
    }
  },
});
