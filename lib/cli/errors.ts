/**
 * Imported first by every `deno task` command: an error that reaches the top
 * is printed as one line that names what failed, with no stack trace
 * (`GRAVES_DEBUG=1` keeps it), and the command exits 1; bad arguments
 * (`UsageError`, or `parseArgs`'s own errors such as `--bias -5` written
 * without `=`) exit 2.
 * @module
 */
import { UsageError } from "../util/errors.ts";

export { UsageError };

/** Whether `e` is a usage error (ours or `node:util` `parseArgs`'s). */
const isUsage = (e: unknown) =>
  e instanceof UsageError || String((e as { code?: string })?.code ?? "").startsWith("ERR_PARSE_ARGS");

function report(e: unknown): never {
  if (Deno.env.get("GRAVES_DEBUG")) console.error(e);
  else console.error(`error: ${(e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, " ")}`);
  Deno.exit(isUsage(e) ? 2 : 1);
}

globalThis.addEventListener("error", (ev) => {
  ev.preventDefault();
  report((ev as ErrorEvent).error ?? ev.message);
});
globalThis.addEventListener("unhandledrejection", (ev) => {
  ev.preventDefault();
  report(ev.reason);
});
