/**
 * `deno task serve [--port 8000] [--host name]... [--build-only]`: builds the
 * browser writer into `web/dist/` from empty (a static folder: copy it to any
 * static host; the shipped checkpoint's SHA-256 is checked first) and serves it
 * on the loopback (`lib/web/static_server.ts`: GET and HEAD of that folder
 * only). The network runs in the page; the server only sends files. Requests
 * must name a localhost Host; `--host name` accepts another (a name you mapped
 * to this machine, or a proxy's).
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { UsageError } from "./errors.ts";
import { parseArgs } from "node:util";
import { relative } from "node:path";
import { buildWeb, WEB_DIST } from "../web/build.ts";
import { WRITES } from "../experiments/registry.ts";
import { LOCAL_HOSTS, serveFolder } from "../web/static_server.ts";
import { numberFlag } from "./args.ts";
import { refuseExtraArguments } from "./args.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    port: { type: "string", default: "8000" },
    host: { type: "string", multiple: true, default: [] },
    "build-only": { type: "boolean", default: false },
  },
});
refuseExtraArguments(positionals, 0, "deno task serve [--port 8000] [--host name]... [--build-only]");
for (const h of values.host) {
  if (!/^[\w.-]+$|^\[?[0-9a-fA-F:]+\]?$/.test(h)) throw new UsageError(`--host ${h}: expected a host name`);
}
const port = numberFlag("port", values.port, { integer: true, min: 0, max: 65535 })!;
const { out, bundleBytes, sampler } = await buildWeb(WEB_DIST, WRITES.shipped);
console.log(
  `built ${relative(PROJECT_ROOT, out)}/ (bundle ${(bundleBytes / 1e6).toFixed(1)} MB): a static folder`,
);
console.log(`the page samples with ${sampler}`);
if (!values["build-only"]) {
  const server = serveFolder({ dir: WEB_DIST, port, allowedHosts: [...LOCAL_HOSTS, ...values.host] });
  console.log(`serving http://localhost:${server.port}/ (Ctrl-C stops)`);
}
