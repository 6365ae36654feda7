/**
 * OpenBLAS through Deno's FFI: the matrix multiply that the offline CPU path
 * routes tfjs `BatchMatMul` to (see `wasm_kernels.ts`).
 *
 * The library is found by name on the system's search path (Debian:
 * `libopenblas0-pthread`), or at the path in `GRAVES_OPENBLAS`. Debian's
 * OpenBLAS 0.3.21 mistakes AVX-512 CPUs for "Prescott" and runs SSE3 kernels
 * 3-4× slower, so before loading we set `OPENBLAS_CORETYPE` from the CPU flags —
 * but never when the environment already set it.
 *
 * @module
 */

/** cblas enum values (row-major, no-transpose, transpose). */
export const CBLAS = { rowMajor: 101, noTrans: 111, trans: 112 } as const;

const SYMBOLS = {
  cblas_sgemm: {
    // order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f32",
      "pointer",
      "i32",
      "pointer",
      "i32",
      "f32",
      "pointer",
      "i32",
    ],
    result: "void",
  },
  openblas_get_corename: { parameters: [], result: "pointer" },
  openblas_get_num_threads: { parameters: [], result: "i32" },
} as const;

/** A loaded OpenBLAS with the one routine we need and what it reports. */
export interface OpenBlas {
  /** Row-major `C = alpha·op(A)·op(B) + beta·C` on raw pointers. */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Deno.PointerValue,
    lda: number,
    b: Deno.PointerValue,
    ldb: number,
    c: Deno.PointerValue,
    ldc: number,
    beta?: number,
  ): void;
  /** The kernel family OpenBLAS picked, e.g. "SkylakeX", "Haswell". */
  coreName: string;
  /** Worker threads OpenBLAS uses. */
  threads: number;
  /** Where the library was loaded from. */
  path: string;
  /** How `OPENBLAS_CORETYPE` was decided ("set by environment", "set from CPU flags", ...). */
  coreTypeSource: string;
}

/** Library names tried in order when `GRAVES_OPENBLAS` is not set. */
export const DEFAULT_OPENBLAS_NAMES: readonly string[] = Deno.build.os === "darwin"
  ? ["libopenblas.dylib", "libopenblas.0.dylib"]
  : ["libopenblas.so.0", "libopenblas.so"];

/**
 * The OpenBLAS core type this CPU should use, from its flags; `undefined` when
 * OpenBLAS's own detection is trusted (non-x86, or no AVX2).
 */
export function coreTypeForCpu(cpuinfo: string): string | undefined {
  const flags = new Set(
    (cpuinfo.match(/^flags\s*:(.*)$/m)?.[1] ?? "").trim().split(/\s+/),
  );
  if (flags.has("avx512f") && flags.has("avx512bw")) return "SkylakeX";
  if (flags.has("avx2") && flags.has("fma")) return "Haswell";
  return undefined;
}

function chooseCoreType(): string {
  const preset = Deno.env.get("OPENBLAS_CORETYPE");
  if (preset) return `OPENBLAS_CORETYPE=${preset} set by environment`;
  let cpuinfo = "";
  try {
    cpuinfo = Deno.readTextFileSync("/proc/cpuinfo");
  } catch {
    return "OpenBLAS's own CPU detection (no /proc/cpuinfo)";
  }
  const core = coreTypeForCpu(cpuinfo);
  if (!core) return "OpenBLAS's own CPU detection";
  Deno.env.set("OPENBLAS_CORETYPE", core);
  return `OPENBLAS_CORETYPE=${core} set from CPU flags`;
}

let cached: OpenBlas | Error | undefined;

/**
 * Loads OpenBLAS once per process. Returns an `Error` (never throws) saying
 * why it could not load, so callers can report it and fall back.
 */
export function loadOpenBlas(): OpenBlas | Error {
  if (cached) return cached;
  const coreTypeSource = chooseCoreType();
  const override = Deno.env.get("GRAVES_OPENBLAS");
  const candidates = override ? [override] : DEFAULT_OPENBLAS_NAMES;
  const failures: string[] = [];
  for (const path of candidates) {
    try {
      const lib = Deno.dlopen(path, SYMBOLS);
      const namePtr = lib.symbols.openblas_get_corename();
      const coreName = namePtr ? new Deno.UnsafePointerView(namePtr).getCString() : "unknown";
      const s = lib.symbols.cblas_sgemm;
      cached = {
        sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, beta = 0) {
          s(
            CBLAS.rowMajor,
            transA ? CBLAS.trans : CBLAS.noTrans,
            transB ? CBLAS.trans : CBLAS.noTrans,
            m,
            n,
            k,
            1,
            a,
            lda,
            b,
            ldb,
            beta,
            c,
            ldc,
          );
        },
        coreName,
        threads: lib.symbols.openblas_get_num_threads(),
        path,
        coreTypeSource,
      };
      return cached;
    } catch (e) {
      failures.push(`${path}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  cached = new Error(
    `OpenBLAS not loaded (${failures.join("; ")}); install Debian's ` +
      "libopenblas0-pthread or set GRAVES_OPENBLAS to the library's path",
  );
  return cached;
}
