/**
 * Backend selection in fresh processes: the report, forced choices, OpenBLAS
 * fallback and the rule that `OPENBLAS_CORETYPE` set by the user is kept.
 */
import assert from "node:assert/strict";
import { coreTypeForCpu } from "../../lib/backend/openblas.ts";

const probe = new URL("../helpers/backend_probe.ts", import.meta.url).pathname;

async function runProbe(env: Record<string, string>) {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", probe],
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
  const { stdout, stderr } = await cmd.output();
  const text = new TextDecoder().decode(stdout).trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`probe printed no JSON: ${text}\n${new TextDecoder().decode(stderr)}`);
  }
}

Deno.test("default choice reports the backend and why better ones were skipped", async () => {
  const r = await runProbe({});
  assert.ok(r.ok, r.error);
  assert.match(r.report.line, /^backend: \S+ \(/);
  // Every backend ranked above the chosen one appears in `skipped` with a reason.
  const order = ["tfjs-node-gpu", "tfjs-node", "wasm-blas", "wasm", "cpu"];
  const above = order.slice(0, order.indexOf(r.report.name));
  assert.deepEqual(r.report.skipped.map((s: { name: string }) => s.name), above);
  for (const s of r.report.skipped) assert.ok(s.reason.length > 0);
  assert.ok(r.maxErr < 1e-5, `matMul error ${r.maxErr}`);
});

Deno.test("a forced backend that cannot load is an error, not a fallback", async () => {
  const r = await runProbe({ GRAVES_BACKEND: "tfjs-node-gpu" });
  if (r.ok) {
    // A machine with libtensorflow built: the forced choice must have been honoured.
    assert.equal(r.report.name, "tfjs-node-gpu");
  } else {
    assert.match(r.error, /GRAVES_BACKEND=tfjs-node-gpu cannot load/);
  }
  const bad = await runProbe({ GRAVES_BACKEND: "metal" });
  assert.equal(bad.ok, false);
  assert.match(bad.error, /expected one of/);
});

Deno.test("without OpenBLAS the offline path says so and still multiplies correctly", async () => {
  const r = await runProbe({ GRAVES_BACKEND: "wasm-blas", GRAVES_OPENBLAS: "/nonexistent/libopenblas.so.0" });
  assert.ok(r.ok, r.error);
  assert.match(r.report.detail, /no OpenBLAS: OpenBLAS not loaded \(\/nonexistent\/libopenblas\.so\.0/);
  assert.ok(r.maxErr < 1e-5, `matMul error ${r.maxErr}`);
});

Deno.test("a user's OPENBLAS_CORETYPE is never overridden", async () => {
  const r = await runProbe({ GRAVES_BACKEND: "wasm-blas", OPENBLAS_CORETYPE: "Haswell" });
  assert.ok(r.ok, r.error);
  if (/no OpenBLAS/.test(r.report.detail)) return console.warn("OpenBLAS absent: core type not checked");
  assert.match(r.report.detail, /OpenBLAS Haswell \(OPENBLAS_CORETYPE=Haswell set by environment\)/);
});

Deno.test("stock wasm and cpu can be forced", async () => {
  for (const name of ["wasm", "cpu"]) {
    const r = await runProbe({ GRAVES_BACKEND: name });
    assert.ok(r.ok, r.error);
    assert.equal(r.report.name, name);
    assert.ok(r.maxErr < 1e-5);
  }
});

Deno.test("core type from CPU flags", () => {
  assert.equal(coreTypeForCpu("flags\t\t: fpu sse avx2 fma avx512f avx512bw\n"), "SkylakeX");
  assert.equal(coreTypeForCpu("flags\t\t: fpu sse avx2 fma\n"), "Haswell");
  assert.equal(coreTypeForCpu("flags\t\t: fpu sse sse2\n"), undefined);
  assert.equal(coreTypeForCpu(""), undefined);
});
