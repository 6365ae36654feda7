/**
 * The forced `webgpu` backend (tfjs-backend-webgpu on Deno's WebGPU) in a
 * fresh process: a training step with asynchronous reads matches the `cpu`
 * backend, the re-registered `AddN` sums every input, a synchronous read
 * fails with a message that says what to do, and no tensor is left behind.
 * Runs wherever Deno finds an adapter (a software one such as Mesa's
 * llvmpipe is enough); CI sets `GRAVES_REQUIRE_WEBGPU=1` so that it is never
 * skipped there.
 */
import assert from "node:assert/strict";

// deno-lint-ignore no-explicit-any
const adapter = await (navigator as any).gpu?.requestAdapter();
const required = Deno.env.get("GRAVES_REQUIRE_WEBGPU") === "1";

Deno.test({
  name: "webgpu: an asynchronous training step matches cpu; AddN, dataSync message, no leaks",
  ignore: !adapter && !required,
  fn: async () => {
    assert.ok(
      adapter,
      "no WebGPU adapter: install libegl-mesa0 and libgl1-mesa-dri (software) or a GPU driver",
    );
    const probe = new URL("../helpers/webgpu_probe.ts", import.meta.url).pathname;
    const { stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", probe],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const last = new TextDecoder().decode(stdout).trim().split("\n").at(-1) ?? "";
    assert.ok(last.startsWith("{"), `probe printed no JSON: ${last}\n${new TextDecoder().decode(stderr)}`);
    const r = JSON.parse(last);
    assert.ok(r.ok, r.error);
    assert.match(r.line, /^backend: webgpu \(WebGPU on .+; asynchronous reads only\)$/);
    assert.deepEqual(r.addN, [1, 3, 6, 10, 15, 21, 28, 36, 45]);
    assert.match(r.syncError, /synchronous reads \(dataSync\) do not work under Deno/);
    assert.equal(r.leaked, 0);
    assert.equal(r.gpu.skipped, false);
    assert.ok(
      Math.abs(r.gpu.loss - r.cpu.loss) < 1e-4 * Math.abs(r.cpu.loss),
      `${r.gpu.loss} vs ${r.cpu.loss}`,
    );
    assert.ok(Math.abs(r.gpu.gradNorm - r.cpu.gradNorm) < 1e-4 * r.cpu.gradNorm);
    assert.ok(r.maxWeightDiff < 1e-6, `weights differ by ${r.maxWeightDiff} after two RMSProp updates`);
  },
});
