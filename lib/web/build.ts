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
import { stepFolderOf } from "../runs/checkpoint.ts";
import { verifiedWeights } from "../runs/integrity.ts";

/** Where `deno task serve` builds the page. */
export const WEB_DIST = join(PROJECT_ROOT, "web", "dist");

const WASM_FILES = [
  "tfjs-backend-wasm.wasm",
  "tfjs-backend-wasm-simd.wasm",
  "tfjs-backend-wasm-threaded-simd.wasm",
];

/** The file a build leaves in its folder, so that the next build may empty it (and no other folder). */
const BUILT_MARK = ".graves-web-build";

/**
 * Empties `out` for a build: it must be absent, empty, or an earlier build
 * (it holds `BUILT_MARK`); anything else is refused, never deleted. Stale files
 * of an earlier build (renamed assets, an older checkpoint) go with it.
 */
function emptyForBuild(out: string): void {
  if (exists(out)) {
    const entries = [...Deno.readDirSync(out)];
    if (entries.length && !exists(join(out, BUILT_MARK))) {
      throw new Error(`${out}: not empty and not an earlier build of the page; not deleting it`);
    }
    Deno.removeSync(out, { recursive: true });
  }
  Deno.mkdirSync(join(out, "checkpoint"), { recursive: true });
  Deno.writeTextFileSync(join(out, BUILT_MARK), "deno task serve builds this folder from empty\n");
}

/**
 * Builds the static page into `out` from empty; the checkpoint (the serving
 * command passes the shipped writing network's) is published only once its weights match the
 * SHA-256 its manifest records.
 * Returns the bundle's size in bytes and what the page samples with.
 */
export async function buildWeb(
  out: string,
  checkpoint: string,
): Promise<{ out: string; bundleBytes: number; sampler: string }> {
  const ck = stepFolderOf(checkpoint);
  // a flipped byte stops the build here, before the old page is touched
  const { manifest: model, group, bin } = await verifiedWeights(ck);
  emptyForBuild(out);
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
  const keep = model.meta; // what the page needs: the config, the statistics, the charset, epochs and hours
  model.meta = {
    profile: { model: keep.profile.model },
    data: { stats: keep.data.stats, charset: keep.data.charset },
    epochs: keep.epochs,
    seconds: keep.seconds,
  };
  await Deno.writeTextFile(join(out, "checkpoint", "model.json"), JSON.stringify(model));
  await Deno.writeFile(join(out, "checkpoint", group.paths[0]), bin); // the bytes just verified
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
