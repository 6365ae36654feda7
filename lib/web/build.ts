/**
 * The browser writer as a static folder (`web/dist/`): the page, its bundle
 * (esbuild over `web/src/main.ts`, with `web/src/page_native.ts` in place of
 * the native kernels), the sampling step `native/sample.c` compiled to
 * WebAssembly (clang, where installed), tfjs's wasm binaries and the shipped
 * float16 synthesis checkpoint. Copy the folder to any static host; nothing runs on
 * a server. Used by `deno task serve` and the browser tests.
 * @module
 */
import * as esbuild from "esbuild";
import { join } from "node:path";
import { exists, PROJECT_ROOT } from "../util/paths.ts";
import { shippedDir } from "../runs/run.ts";
import { stepFolderOf } from "../runs/checkpoint.ts";

/** Where `deno task serve` builds the page. */
export const WEB_DIST = join(PROJECT_ROOT, "web", "dist");

const WASM_FILES = [
  "tfjs-backend-wasm.wasm",
  "tfjs-backend-wasm-simd.wasm",
  "tfjs-backend-wasm-threaded-simd.wasm",
];

/** Builds the static page into `out`; returns the bundle's size in bytes. */
export async function buildWeb(
  out = WEB_DIST,
): Promise<{ out: string; bundleBytes: number; sampler: string }> {
  await Deno.mkdir(join(out, "checkpoint"), { recursive: true });
  const web = join(PROJECT_ROOT, "web");
  const stub = join(web, "src", "page_native.ts");
  const result = await esbuild.build({
    entryPoints: [join(web, "src", "main.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    outfile: join(out, "app.js"),
    nodePaths: [join(PROJECT_ROOT, "node_modules")],
    logLevel: "error",
    plugins: [{
      name: "no-native",
      setup(b) {
        // the page has no native kernels: every step runs as tfjs ops
        b.onResolve({ filter: /backend\/native\.ts$/ }, () => ({ path: stub }));
      },
    }],
  });
  if (result.errors.length) throw new Error(`bundling web/src/main.ts failed: ${result.errors[0].text}`);
  await esbuild.stop();
  for (const f of ["index.html", "style.css"]) await Deno.copyFile(join(web, f), join(out, f));
  const wasmDir = join(PROJECT_ROOT, "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist");
  for (const f of WASM_FILES) await Deno.copyFile(join(wasmDir, f), join(out, f));
  const ck = stepFolderOf(shippedDir("synthesis"));
  const model = JSON.parse(await Deno.readTextFile(join(ck, "model.json")));
  const keep = model.meta; // what the page needs: the config, the statistics, the charset, epochs and hours
  model.meta = {
    profile: { model: keep.profile.model },
    data: { stats: keep.data.stats, charset: keep.data.charset },
    epochs: keep.epochs,
    seconds: keep.seconds,
  };
  await Deno.writeTextFile(join(out, "checkpoint", "model.json"), JSON.stringify(model));
  await Deno.copyFile(
    join(ck, model.weightsManifest[0].paths[0]),
    join(out, "checkpoint", model.weightsManifest[0].paths[0]),
  );
  const sampler = await compileSampleWasm(join(out, "sample.wasm"));
  return { out, bundleBytes: (await Deno.stat(join(out, "app.js"))).size, sampler };
}

/**
 * `native/sample.c` → WebAssembly with SIMD (Debian: clang, lld, wasi-libc,
 * libclang-rt-14-dev-wasm32). Returns what the page will sample with, and why.
 */
export async function compileSampleWasm(out: string): Promise<string> {
  const src = join(PROJECT_ROOT, "lib", "backend", "native", "sample.c");
  const args = [
    "--target=wasm32-wasi",
    "--sysroot=/usr",
    "-I/usr/include/wasm32-wasi",
    "-L/usr/lib/wasm32-wasi",
    "-O3",
    "-msimd128",
    "-fopenmp-simd",
    "-fno-math-errno",
    "-ffinite-math-only",
    "-nostartfiles",
    "-Wl,--no-entry",
    "-Wl,--export=graves_sample_step,--export=malloc,--export=free",
    "-o",
    out,
    src,
  ];
  try {
    const r = await new Deno.Command(Deno.env.get("GRAVES_WASM_CC") ?? "clang", { args, stderr: "piped" })
      .output();
    if (r.success) return "sample.wasm (native/sample.c in WebAssembly SIMD)";
    await Deno.remove(out).catch(() => {});
    return `tfjs ops (clang could not build sample.wasm: ${
      new TextDecoder().decode(r.stderr).split("\n")[0]
    })`;
  } catch {
    return "tfjs ops (no clang: apt install clang lld wasi-libc libclang-rt-14-dev-wasm32 for the faster sampler)";
  }
}

/** A static file server for `dir` (Deno's own HTTP server); `port` 0 picks a free one. */
export function serveStatic(dir: string, port: number): Deno.HttpServer<Deno.NetAddr> {
  const types: Record<string, string> = {
    html: "text/html; charset=utf-8",
    js: "text/javascript",
    css: "text/css",
    json: "application/json",
    wasm: "application/wasm",
    bin: "application/octet-stream",
  };
  return Deno.serve({ port, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    const file = join(dir, path.endsWith("/") ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !exists(file) || !(await Deno.stat(file)).isFile) {
      return new Response("not found", { status: 404 });
    }
    const ext = file.split(".").pop() ?? "";
    return new Response((await Deno.open(file)).readable, {
      headers: { "content-type": types[ext] ?? "application/octet-stream" },
    });
  });
}
