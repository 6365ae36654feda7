/**
 * Whether the native kernels can run in this test process: the project
 * backend is wasm-blas, a C compiler is there, and `GRAVES_NATIVE` is not 0.
 */
import { useProjectBackend } from "./tf.ts";

/** The backend the tests run on. */
export const active: string = await useProjectBackend();
const cc = Deno.env.get("CC") ?? "cc";
const hasCompiler = await new Deno.Command(cc, { args: ["--version"], stdout: "null", stderr: "null" })
  .output().then((r) => r.success, () => false);
/** True where the native kernels are expected to be active. */
export const native: boolean = active === "wasm-blas" && hasCompiler && Deno.env.get("GRAVES_NATIVE") !== "0";
