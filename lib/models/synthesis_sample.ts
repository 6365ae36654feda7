/**
 * Writing with the synthesis network (sections 5.3-5.5): one pen point at a
 * time, each drawn from the mixture of eqs 18-22 (with the bias b of section
 * 5.4) and fed back in, until the paper's stopping rule fires; a prime's
 * strokes are fed first to set the style (section 5.5).
 *
 * A step is the network of `synthesisForward` with T = B = 1. With the native
 * kernels it runs as one call of `native/sample.c`; elsewhere as tfjs ops.
 * Both give the same ŷ and φ (tests/backend/native_test.ts).
 * @module
 */
import * as tf from "../tf.ts";
import { drawFromMixture, mdnOutputSize, mixtureRows } from "../nn/mdn.ts";
import type { Params } from "../nn/params.ts";
import { pastEnd } from "../nn/window.ts";
import { nativeStepper, type SampleStepper } from "./native_step.ts";
import { keepState } from "./stack.ts";
import {
  oneHotText,
  type SynthesisConfig,
  synthesisForward,
  type SynthesisState,
  synthesisZeroState,
} from "./synthesis.ts";
import type { Rng } from "../util/rng.ts";

/** One sampling step of the synthesis network (see `SampleStepper`). */
export type SynthesisStepper = SampleStepper;

/**
 * A stepper over the text `codes` (character classes, −1 for an empty
 * position) from the zero state. `impl` "auto" takes the native step when the
 * kernels are loaded on the active backend.
 */
export function synthesisStepper(
  p: Params,
  c: SynthesisConfig,
  codes: Int32Array,
  impl: "auto" | "ops" = "auto",
): SynthesisStepper {
  return (impl === "auto" ? nativeStepper(p, c, codes) : undefined) ?? opsStepper(p, c, codes, impl);
}

/** The step as tfjs ops (`impl` "ops": layer 1 and the window step by step, no fused op either). */
function opsStepper(
  p: Params,
  c: SynthesisConfig,
  codes: Int32Array,
  impl: "auto" | "ops",
): SynthesisStepper {
  const U = codes.length, Y = mdnOutputSize(c.mixtures);
  const chars = oneHotText(codes, 1, U, c.charClasses);
  const noClip = { ...c, clip: Infinity, outputClip: Infinity }; // no gradients here: skip the clipping ops
  let state = synthesisZeroState(c, 1);
  return {
    impl: "ops",
    step(x) {
      const old = state;
      const all = tf.tidy(() => {
        const r = synthesisForward(p, noClip, tf.tensor3d(x, [1, 1, 3]), chars, old, impl);
        state = keepSynth(r.state);
        return tf.concat([tf.reshape(r.yHat, [-1]), tf.reshape(r.phi, [-1])]).dataSync() as Float32Array; // one read-back
      });
      disposeSynth(old);
      return { yHat: all.subarray(0, Y), phi: all.subarray(Y) };
    },
    dispose() {
      disposeSynth(state);
      chars.dispose();
    },
  };
}

function keepSynth(s: SynthesisState): SynthesisState {
  return { stack: keepState(s.stack), kappa: tf.keep(s.kappa), w: tf.keep(s.w) };
}

function disposeSynth(s: SynthesisState): void {
  tf.dispose([...s.stack.h, ...s.stack.c, s.kappa, s.w]);
}

/** Options for `sampleSynthesis`. */
export interface SynthesisSampleOptions {
  /** Sampling bias b (section 5.4). @default 0 */
  bias?: number;
  /** Hard limit on pen steps. @default 40 × characters */
  maxSteps?: number;
  /** Priming strokes (normalised offsets [n, 3], null first point included): fed, not sampled (section 5.5). */
  prime?: Float32Array;
  /**
   * After the stopping rule fires, keep writing until the pen lifts (a point
   * with end-of-stroke 1), at most this many more points. The rule fires as
   * soon as the window leaves the last character, which often cuts its final
   * stroke short (a "d" without its stem). Not in the paper. @default 0
   */
  finishStroke?: number;
  /**
   * Apply the bias only from the first pen lift on: the first stroke is drawn
   * from the unbiased mixture. Not in the paper. Networks fine-tuned at a low
   * learning rate can, when biased from the very first point, lock into
   * drawing ever smaller offsets and never leave the first character (8 of
   * 24 "hello world" samples of the shipped network at b = 1, 0 of 24 with
   * this option, 0 with `biasWeights: false`; README, Deviations). @default false
   */
  unbiasedFirstStroke?: boolean;
  /**
   * Sharpen the mixture weights with the bias too (eq 19: π = softmax(π̂(1 +
   * b))), as the paper does. `false` narrows only σ (eq 21). Sharpened
   * weights can make a slow pen absorbing: when the component that keeps the
   * pen slow has π = 0.85, b = 1 leaves a 1% chance per point of moving on
   * instead of 15%, and the pen never leaves the first character (README,
   * Deviations). Not in the paper when false. @default true
   */
  biasWeights?: boolean;
  /** Ignore the stopping rule and write exactly `maxSteps` points (benchmarks). @default false */
  neverStop?: boolean;
  /**
   * `synthesisPoints` also yields once per prime point (`priming: true`, the
   * prime's own point), so that a page can draw and notice Stop while a long
   * prime is read. The draws are the same. @default false
   */
  yieldPriming?: boolean;
  /** Force the tfjs-ops step (tests, comparisons). @default "auto" */
  impl?: "auto" | "ops";
}

/** One sampled pen point: its offset and pen bit (normalised units), φ over the text, and where the rule stands. */
export interface SampledPoint {
  point: Float32Array;
  phi: Float32Array;
  /** The paper's stopping rule has fired (at this point or before). */
  stopped: boolean;
  /** A prime point read, not a sampled one (only with `yieldPriming`). */
  priming?: boolean;
}

/**
 * With `finishStroke`, a stroke the stopping rule finds at most this many
 * points old is not the last character's but a mark begun after it:
 * finishing it drew a curl after the text (the writer's "Dear Alex,", seed 1,
 * bias 0.75: a 48-point stroke begun one point before the rule fired), which
 * the next line of a document, primed with this one, then took for its own
 * first letter. Such a stroke is held back and dropped, unless it ends within
 * `DOT_POINTS` points (a full stop, the dot of an i). Not in the paper.
 */
export const NEW_STROKE_POINTS = 2;
/** The longest stroke begun at the stopping rule that is kept as a dot (`NEW_STROKE_POINTS`). */
export const DOT_POINTS = 4;

/** How a sample ended. */
export interface SynthesisEnding {
  /** The stopping rule fired (else the step cap ended the sample). */
  finished: boolean;
  /** The rule fired with the pen down: the paper's rule alone would cut the stroke there. */
  cutByRule: boolean;
  /** A stroke begun at the rule was dropped, not finished (`NEW_STROKE_POINTS`). */
  dropped: boolean;
  impl: "native" | "ops";
}

/**
 * The points of `sampleSynthesis` one at a time, for writers that draw while
 * sampling (the browser page animates the pen and can stop early): the same
 * loop, the same draws for the same seed. With `finishStroke`, the first
 * point of each stroke is yielded one step late, so that a stroke begun as
 * the rule fires can be dropped (`NEW_STROKE_POINTS`). The stepper is freed
 * when the generator finishes or is returned from.
 */
export function* synthesisPoints(
  p: Params,
  c: SynthesisConfig,
  codes: Int32Array,
  rng: Rng,
  o: SynthesisSampleOptions = {},
): Generator<SampledPoint, SynthesisEnding> {
  const U = codes.length;
  // One extra, empty character: φ(t, U+1) comes out of the step for the stopping rule,
  // and an empty position adds nothing to the window vector w.
  const stepper = synthesisStepper(p, c, Int32Array.from([...codes, -1]), o.impl);
  const maxSteps = o.maxSteps ?? 40 * U;
  const primeSteps = o.prime ? o.prime.length / 3 : 0;
  const finish = o.finishStroke ?? 0, holding = finish > 0 && !o.neverStop;
  let x: Float32Array = o.prime ? o.prime.slice(0, 3) : new Float32Array(3);
  let stoppedAt = -1; // the step at which the stopping rule fired
  let penDownAtRule = false; // whether the rule fired mid-stroke (the paper's rule would cut the stroke there)
  let lifted = !o.unbiasedFirstStroke; // whether the bias applies yet
  let strokeStart = true; // the next yielded point begins a stroke (the first one does, as the strokes are read)
  let strokeLen = 0; // points of the current stroke, this one included
  let held: SampledPoint[] = []; // points not yet yielded: a stroke's first, or a stroke begun at the rule
  let atRule = false; // the current stroke began at the rule (NEW_STROKE_POINTS): held until it proves a dot
  let dropped = false;
  try {
    for (let t = 0; t < maxSteps + primeSteps; t++) {
      const { yHat, phi } = stepper.step(x);
      const b = lifted ? o.bias ?? 0 : 0;
      const pt = drawFromMixture(
        mixtureRows(yHat, c.mixtures, b, o.biasWeights === false ? 0 : b),
        () => rng.next(),
      );
      if (t >= primeSteps && pt[2] === 1) lifted = true;
      if (stoppedAt < 0 && !o.neverStop && t >= primeSteps && pastEnd(phi, U)) { // section 5.3
        stoppedAt = t;
        penDownAtRule = pt[2] !== 1;
      }
      if (t + 1 < primeSteps) {
        x = o.prime!.slice(3 * (t + 1), 3 * (t + 2));
        if (o.yieldPriming) yield { point: x, phi: phi.slice(0, U), stopped: false, priming: true };
        continue;
      }
      x = pt;
      if (t < primeSteps) continue; // the prime's last point: the next one is the first sampled
      strokeLen = strokeStart ? 1 : strokeLen + 1;
      strokeStart = pt[2] === 1;
      const here: SampledPoint = { point: pt, phi: phi.slice(0, U), stopped: stoppedAt >= 0 };
      if (holding && stoppedAt === t && pt[2] !== 1 && strokeLen <= NEW_STROKE_POINTS) atRule = true;
      if (atRule) {
        held.push(here);
        if (pt[2] === 1 && held.length <= DOT_POINTS) break; // a dot: kept (yielded below)
        if (held.length > DOT_POINTS || t - stoppedAt >= finish) { // a new letter: dropped
          held = [];
          dropped = true;
          break;
        }
        continue;
      }
      if (holding && strokeLen === 1 && pt[2] !== 1) {
        held.push(here); // a stroke's first point, one step late
        continue;
      }
      yield* held;
      held = [];
      yield here;
      if (stoppedAt >= 0 && (pt[2] === 1 || t - stoppedAt >= finish)) break;
    }
    yield* held; // a dot begun at the rule, or a first point the step cap ended on
  } finally {
    stepper.dispose();
  }
  return {
    finished: stoppedAt >= 0,
    cutByRule: stoppedAt >= 0 && penDownAtRule,
    dropped,
    impl: stepper.impl,
  };
}

/**
 * Writes the text `codes` (its classes; for priming, the prime's text followed
 * by the target text), one point at a time until the paper's stopping rule
 * fires. Returns the sampled points [n, 3], φ [n, U] for alignment plots,
 * whether the rule fired (`finished`; false when `maxSteps` ended the sample,
 * e.g. a pen that stalled before the last character), and whether the line
 * ends mid-stroke (`cut`; `cutByRule`: where the paper's rule alone would).
 */
export function sampleSynthesis(
  p: Params,
  c: SynthesisConfig,
  codes: Int32Array,
  rng: Rng,
  o: SynthesisSampleOptions = {},
) {
  const U = codes.length;
  const points: number[] = [], phis: Float32Array[] = [];
  const it = synthesisPoints(p, c, codes, rng, o);
  let r = it.next();
  for (; !r.done; r = it.next()) {
    points.push(...r.value.point);
    phis.push(r.value.phi);
  }
  const n = points.length / 3;
  const phi = new Float32Array(n * U);
  phis.forEach((f, i) => phi.set(f, i * U));
  return {
    points: Float32Array.from(points),
    phi,
    steps: n,
    U,
    finished: r.value.finished,
    /** The stopping rule fired with the pen down: the paper's rule alone ends the line mid-stroke. */
    cutByRule: r.value.cutByRule,
    /** A stroke begun at the rule was dropped rather than finished (`NEW_STROKE_POINTS`). */
    dropped: r.value.dropped,
    /** The line ends with the pen down (its last stroke unfinished), after any `finishStroke` points. */
    cut: n > 0 && points[3 * n - 1] !== 1,
    impl: r.value.impl,
  };
}
