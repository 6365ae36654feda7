/**
 * `deno task serve [--port 8000] [--build-only]`: builds the browser writer
 * into `web/dist/` (a static folder: copy it to any static host) and serves
 * it on localhost. The network runs in the page; the server only sends files.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { relative } from "node:path";
import { buildWeb, serveStatic, WEB_DIST } from "../web/build.ts";
import { numberFlag } from "./args.ts";
import { refuseExtraArguments } from "./args.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { port: { type: "string", default: "8000" }, "build-only": { type: "boolean", default: false } },
});
refuseExtraArguments(positionals, 0, "deno task serve [--port 8000] [--build-only]");
const port = numberFlag("port", values.port, { integer: true, min: 0, max: 65535 })!;
const { out, bundleBytes, sampler } = await buildWeb();
console.log(
  `built ${relative(PROJECT_ROOT, out)}/ (bundle ${(bundleBytes / 1e6).toFixed(1)} MB): a static folder`,
);
console.log(`the page samples with ${sampler}`);
if (!values["build-only"]) {
  const server = serveStatic(WEB_DIST, port);
  console.log(`serving http://localhost:${server.addr.port}/ (Ctrl-C stops)`);
}
