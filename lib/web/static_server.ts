/**
 * The static file server behind `deno task serve`: GET and HEAD of the files
 * in one folder (`web/dist`), nothing else. It runs on Deno's own TCP sockets
 * because neither Deno's HTTP server nor `node:http` under Deno has a header
 * timeout (denoland/deno#3515; a header dripped one byte at a time stayed open
 * past 90 s), so npm's static servers (sirv, serve-static), which sit on
 * `node:http`, inherit the gap. One request per connection (`Connection:
 * close`), so the header deadline bounds every request.
 *
 * - Containment: the decoded path is resolved under the folder and must stay
 *   inside it (`..`, `%2e%2e`, `..%2f`, a sibling `dist-private/`), and the
 *   file's real path must too (no symlink out). Anything else: 404.
 * - 400 for a malformed request line, header or percent-encoding; 405 with
 *   `Allow: GET, HEAD` for other methods; 421 for a Host that is not one of
 *   the allowed names (localhost by default), so a DNS-rebinding page cannot
 *   read it; 431 for over 16 KB of headers; 408 after 10 s without a whole head.
 * - Every answer carries `X-Content-Type-Options: nosniff`, a CSP the page
 *   satisfies, `Referrer-Policy: no-referrer`; files `Content-Length`, one
 *   byte range (`Range: bytes=a-b`, 206/416), and cache headers: the page
 *   `no-cache`, the rest `max-age` an hour (the build replaces them together).
 * @module
 */
import { extname, relative, resolve, sep } from "node:path";

/** What the page needs and nothing more: its own scripts and WebAssembly, its own data, drawn images. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** Options of `serveFolder`. */
export interface StaticServerOptions {
  /** The folder served (its real path is the boundary). */
  dir: string;
  /** 0: a free port. */
  port: number;
  /** Address bound. @default "127.0.0.1" */
  hostname?: string;
  /** Host names accepted in the Host header (any port). @default localhost, 127.0.0.1, ::1 */
  allowedHosts?: string[];
  /** Milliseconds to receive a whole request head. @default 10000 */
  headerTimeoutMs?: number;
  /** Longest request head accepted. @default 16384 */
  maxHeaderBytes?: number;
}

/** A running server. */
export interface StaticServer {
  port: number;
  /** Stops accepting and closes open connections. */
  close(): Promise<void>;
}

/** The localhost names a Host header may carry by default. */
export const LOCAL_HOSTS = ["localhost", "127.0.0.1", "::1"];

const REASONS: Record<number, string> = {
  200: "OK",
  206: "Partial Content",
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  416: "Range Not Satisfiable",
  421: "Misdirected Request",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
};

const enc = new TextEncoder();

/** A parsed request head, or the status to refuse it with. */
type Head = { method: string; target: string; headers: Map<string, string> } | { refuse: number };

/** Parses `GET /path HTTP/1.1` and its header lines strictly (RFC 9112); anything odd is a 400. */
export function parseHead(text: string): Head {
  const [line, ...rest] = text.split("\r\n");
  const m = line.match(/^([A-Z]+) (\S+) HTTP\/1\.[01]$/);
  if (!m) return { refuse: 400 };
  const headers = new Map<string, string>();
  for (const h of rest) {
    const hm = h.match(/^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/);
    // deno-lint-ignore no-control-regex -- control characters in a header value are what is refused
    if (!hm || /[\0-\x08\x0a-\x1f\x7f]/.test(hm[2])) return { refuse: 400 };
    const name = hm[1].toLowerCase();
    if (name === "host" && headers.has("host")) return { refuse: 400 };
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${hm[2]}` : hm[2]);
  }
  return { method: m[1], target: m[2], headers };
}

/** The host name of a Host header (`[::1]:8000` → `::1`), lower case. */
export function hostName(host: string): string {
  const v6 = host.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (v6) return v6[1].toLowerCase();
  return ((host.match(/:/g) ?? []).length > 1 ? host : host.replace(/:\d+$/, "")).toLowerCase(); // a bare IPv6 name
}

/**
 * The file under `root` (a real path) that `target` names, or undefined when
 * it is outside, not a regular file, or reached through a link that leaves
 * `root`; "bad" when the percent-encoding is malformed.
 */
export function fileFor(root: string, target: string): string | undefined | "bad" {
  if (!target.startsWith("/")) return "bad";
  let path: string;
  try {
    path = decodeURIComponent(target.replace(/[?#].*$/, ""));
  } catch {
    return "bad";
  }
  if (path.includes("\0")) return "bad";
  if (/(^|\/)\./.test(path)) return undefined; // no dot-files or dot-segments (the build's mark, `..`)
  if (path.endsWith("/")) path += "index.html";
  const full = resolve(root, `.${path}`);
  const rel = relative(root, full);
  if (!rel || rel.startsWith("..") || resolve(root, rel) !== full) return undefined;
  try {
    const real = Deno.realPathSync(full);
    if (!real.startsWith(root + sep) || !Deno.statSync(real).isFile) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

/** `bytes=a-b` (one range) against a file of `size` bytes: [start, end] inclusive, "unsatisfiable", or undefined (whole file). */
export function byteRange(
  header: string | undefined,
  size: number,
): [number, number] | "unsatisfiable" | undefined {
  const m = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!m || (m[1] === "" && m[2] === "")) return undefined; // absent, several ranges or another unit: the whole file
  let start: number, end: number;
  if (m[1] === "") [start, end] = [Math.max(0, size - Number(m[2])), size - 1]; // the last n bytes
  else [start, end] = [Number(m[1]), m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1)];
  return start > end || start >= size ? "unsatisfiable" : [start, end];
}

function headerBlock(status: number, headers: Record<string, string | number>): Uint8Array {
  const lines = [`HTTP/1.1 ${status} ${REASONS[status] ?? ""}`];
  const all = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": PAGE_CSP,
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    Connection: "close",
    ...headers,
  };
  for (const [k, v] of Object.entries(all)) lines.push(`${k}: ${v}`);
  return enc.encode(lines.join("\r\n") + "\r\n\r\n");
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

async function plain(conn: Deno.Conn, status: number, text: string, extra: Record<string, string> = {}) {
  const body = enc.encode(text + "\n");
  await writeAll(
    conn,
    headerBlock(status, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": body.length,
      "Cache-Control": "no-store",
      ...extra,
    }),
  );
  await writeAll(conn, body);
}

/** Reads a request head (up to the blank line) within the deadline and size limit. */
async function readHead(conn: Deno.Conn, timeoutMs: number, maxBytes: number): Promise<string | number> {
  const buf = new Uint8Array(maxBytes + 4), latin1 = new TextDecoder("latin1");
  let text = ""; // the bytes so far, one character each
  const timer = setTimeout(() => conn.close(), timeoutMs); // a closed socket ends the pending read
  try {
    while (true) {
      const got = await conn.read(buf.subarray(text.length));
      if (got === null) return 400;
      const from = Math.max(0, text.length - 3); // the blank line may straddle two reads
      text += latin1.decode(buf.subarray(text.length, text.length + got));
      const end = text.indexOf("\r\n\r\n", from);
      if (end >= 0) return text.slice(0, end);
      if (text.length > maxBytes) return 431;
    }
  } catch {
    return 408;
  } finally {
    clearTimeout(timer);
  }
}

/** Serves the files of `o.dir`; see the module's rules. */
export function serveFolder(o: StaticServerOptions): StaticServer {
  const root = Deno.realPathSync(o.dir);
  const allowed = new Set((o.allowedHosts ?? LOCAL_HOSTS).map((h) => hostName(h)));
  const listener = Deno.listen({ hostname: o.hostname ?? "127.0.0.1", port: o.port });
  const open = new Set<Deno.Conn>();
  const handle = async (conn: Deno.Conn) => {
    open.add(conn);
    try {
      const head = await readHead(conn, o.headerTimeoutMs ?? 10_000, o.maxHeaderBytes ?? 16_384);
      if (typeof head === "number") {
        if (head !== 408) await plain(conn, head, REASONS[head]); // a timed-out socket is already closed
        return;
      }
      const req = parseHead(head);
      if ("refuse" in req) return await plain(conn, req.refuse, "bad request");
      const host = req.headers.get("host");
      if (host === undefined || !allowed.has(hostName(host))) {
        return await plain(
          conn,
          421,
          "this server answers only to its own host names (deno task serve --host)",
        );
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        return await plain(conn, 405, "only GET and HEAD", { Allow: "GET, HEAD" });
      }
      const file = fileFor(root, req.target);
      if (file === "bad") return await plain(conn, 400, "malformed path");
      if (file === undefined) return await plain(conn, 404, "not found");
      const size = Deno.statSync(file).size;
      const range = byteRange(req.headers.get("range"), size);
      if (range === "unsatisfiable") {
        return await plain(conn, 416, "range not satisfiable", { "Content-Range": `bytes */${size}` });
      }
      const [start, end] = range ?? [0, size - 1];
      const length = size === 0 ? 0 : end - start + 1;
      const page = extname(file) === ".html";
      await writeAll(
        conn,
        headerBlock(range ? 206 : 200, {
          "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
          "Content-Length": length,
          "Accept-Ranges": "bytes",
          "Cache-Control": page ? "no-cache" : "public, max-age=3600",
          ...(range ? { "Content-Range": `bytes ${start}-${end}/${size}` } : {}),
        }),
      );
      if (req.method === "HEAD" || length === 0) return;
      const f = await Deno.open(file);
      try {
        await f.seek(start, Deno.SeekMode.Start);
        const chunk = new Uint8Array(1 << 16);
        for (let left = length; left > 0;) {
          const got = await f.read(chunk.subarray(0, Math.min(chunk.length, left)));
          if (got === null) break;
          await writeAll(conn, chunk.subarray(0, got));
          left -= got;
        }
      } finally {
        f.close();
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.ConnectionReset)) {
        console.error(`serve: ${(e as Error).message}`);
        await plain(conn, 500, "internal error").catch(() => {});
      }
    } finally {
      open.delete(conn);
      try {
        conn.close();
      } catch { /* already closed */ }
    }
  };
  const accepting = (async () => {
    for await (const conn of listener) void handle(conn);
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async close() {
      listener.close();
      for (const c of open) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await accepting;
    },
  };
}
