/**
 * Sampling one pen point at a time through `native/sample.c`: the whole step
 * of the prediction network (section 4) or the synthesis network (section 5)
 * as one call on the weights in place, instead of ~75 tfjs ops. Used by
 * `sampleHandwriting` and `sampleSynthesis` when the native kernels are
 * loaded; tests pin it to the tfjs-ops step.
 * @module
 */
import { nativeSampleStep, type SampleStepState } from "../backend/native.ts";
import { mdnOutputSize } from "../nn/mdn.ts";
import type { Params } from "../nn/params.ts";

/** One sampling step: pen input x_t [3] → ŷ_t [1 + 6M] and φ(t, u) for the text's U positions (none without a window). */
export interface SampleStepper {
  step(x: Float32Array): { yHat: Float32Array; phi: Float32Array };
  dispose(): void;
  /** "native" (one call of native/sample.c per step) or "ops" (tfjs ops). */
  impl: "native" | "ops";
}

/** The sizes `nativeStepper` needs; `windowMixtures` and `charClasses` only for a synthesis network. */
export interface StepNetwork {
  cells: number;
  layers: number;
  mixtures: number;
  windowMixtures?: number;
  charClasses?: number;
  /** The recurrent cell; the native sampler knows the LSTM only. */
  cell?: string;
}

/**
 * A native stepper from the zero state over the text `codes` (character
 * classes, −1 for an empty position; empty without a window), or `undefined`
 * where the native kernels are not loaded or the network's cell is not the
 * LSTM (`native/sample.c` implements eqs 7-11 only): the caller then steps
 * with tfjs ops, and its stepper says `impl: "ops"`.
 */
export function nativeStepper(
  p: Params,
  c: StepNetwork,
  codes: Int32Array = new Int32Array(0),
): SampleStepper | undefined {
  if ((c.cell ?? "lstm") !== "lstm") return undefined;
  const K = c.windowMixtures ?? 0, V = c.charClasses ?? 0;
  const windowed = (k: string) => (K > 0 ? p[k] : undefined);
  const weights = [p["lstm1.Wx"], windowed("lstm1.Ww"), p["lstm1.Wh"], p["lstm1.peep"], p["lstm1.b"]];
  weights.push(windowed("window.W"), windowed("window.b"));
  for (let n = 2; n <= c.layers; n++) {
    weights.push(...["Wx", "Wh", "peep", "b"].map((k) => p[`lstm${n}.${k}`]));
  }
  weights.push(p["out.W"], p["out.b"]);
  const Y = mdnOutputSize(c.mixtures), H = c.cells, N = c.layers;
  const run = nativeSampleStep({ H, N, V, K, Y }, weights, codes);
  if (!run) return undefined;
  const s: SampleStepState = {
    h: new Float32Array(N * H),
    c: new Float32Array(N * H),
    kappa: new Float32Array(K),
    w: new Float32Array(V),
    out: new Float32Array(Y + codes.length),
  };
  return {
    impl: "native",
    step(x) {
      run(x, s);
      return { yHat: s.out.subarray(0, Y), phi: s.out.subarray(Y) };
    },
    dispose() {},
  };
}
