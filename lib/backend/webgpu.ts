/**
 * The `webgpu` backend: tfjs-backend-webgpu on Deno's own WebGPU (wgpu over
 * Vulkan, or GLES on a software adapter). It needs no libtensorflow and no
 * particular CUDA version, so it runs on GPU machines where `tfjs-node-gpu`
 * cannot load. Forced only (`GRAVES_BACKEND=webgpu`), never chosen
 * automatically:
 *
 * - Reads must be asynchronous. tfjs reads synchronously from WebGPU through a
 *   2D canvas, which Deno lacks; training, evaluation and sampling here read
 *   with `dataSync`, so only `trainStepAsync` (and `deno task bench`) run on
 *   it. {@link guardSyncReads} turns tfjs's obscure failure into a clear one.
 * - Measured on an H100, it is slower than the wasm-blas CPU path on the
 *   handwriting networks: each op is one dispatch, and a step of the paper's
 *   networks is thousands of small ops (README, Using a GPU).
 *
 * Two fixes for tfjs-backend-webgpu 4.22 under Deno are applied on load:
 * its `AddN` summed only the first four inputs (seen on llvmpipe), and is
 * re-registered as a chain of `Add`s ({@link chainedAddN}).
 * @module
 */
import * as tf from "../tf.ts";

/** What loaded: the adapter's description and whether it is a software one. */
interface WebGpuInfo {
  description: string;
  software: boolean;
}

/** Why this Deno has no usable WebGPU adapter, or the adapter's description. */
async function adapterInfo(): Promise<WebGpuInfo> {
  // deno-lint-ignore no-explicit-any
  const gpu = (navigator as any).gpu;
  if (!gpu) throw new Error("this Deno has no navigator.gpu");
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      "no WebGPU adapter (needs a Vulkan loader and driver, e.g. libvulkan1; set VK_DRIVER_FILES to the driver's ICD file)",
    );
  }
  const info = adapter.info ?? {};
  return {
    description: info.description || info.device || `vendor ${info.vendor ?? "?"}`,
    software: Boolean(info.isFallbackAdapter),
  };
}

/**
 * Replaces the webgpu `AddN` kernel with a chain of the backend's own `Add`
 * (the stock one returned the sum of the first four inputs only). Idempotent.
 */
export function chainedAddN(): void {
  const add = tf.getKernel("Add", "webgpu");
  if (!add) throw new Error("webgpu backend is not registered");
  if (tf.getKernel("AddN", "webgpu")) tf.unregisterKernel("AddN", "webgpu");
  tf.registerKernel({
    kernelName: "AddN",
    backendName: "webgpu",
    kernelFunc: ({ inputs, backend }) => {
      const xs = Object.values(inputs) as tf.TensorInfo[];
      if (xs.length === 1) {
        return tf.getKernel("Identity", "webgpu")!.kernelFunc({
          inputs: { x: xs[0] },
          backend,
          attrs: {},
        }) as tf.TensorInfo;
      }
      let acc = xs[0];
      for (let i = 1; i < xs.length; i++) {
        const next = add.kernelFunc({ inputs: { a: acc, b: xs[i] }, backend, attrs: {} }) as tf.TensorInfo;
        // deno-lint-ignore no-explicit-any
        if (i > 1) (backend as any).disposeData(acc.dataId);
        acc = next;
      }
      return acc;
    },
  });
}

/** Makes `dataSync` on the webgpu backend fail with a message that says what to do. */
export function guardSyncReads(): void {
  // deno-lint-ignore no-explicit-any
  const backend = tf.findBackend("webgpu") as any;
  const read = backend.readSync.bind(backend);
  backend.readSync = (dataId: unknown) => {
    try {
      return read(dataId);
    } catch (e) {
      throw new Error(
        `webgpu backend: synchronous reads (dataSync) do not work under Deno (${(e as Error).message}); ` +
          "only asynchronous steps (trainStepAsync, deno task bench) run on it — use the default backend to train",
      );
    }
  };
}

/**
 * Loads tfjs-backend-webgpu, selects it and applies the fixes above. Throws
 * when there is no adapter. Returns the backend report's detail.
 */
export async function initWebGpu(): Promise<string> {
  const info = await adapterInfo();
  await import("@tensorflow/tfjs-backend-webgpu");
  if (!(await tf.setBackend("webgpu"))) throw new Error("webgpu backend failed to initialise");
  chainedAddN();
  guardSyncReads();
  return `WebGPU on ${info.description}${
    info.software ? " (software adapter)" : ""
  }; asynchronous reads only`;
}
