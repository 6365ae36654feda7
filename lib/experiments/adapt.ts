/**
 * Writing in a person's own hand when their drawing is unlike any IAM-OnDB
 * writer's (print from a mouse, a finger, a font): priming alone (section
 * 5.5) feeds the network strokes it never saw and its letters fall apart
 * (`docs/journal/2026-12-07-own-hand-adapt.md`). Instead, as dynamic
 * evaluation adapts a text network to its test text (section 3.1), a copy of
 * the network takes a few gradient steps on the drawn line — its strokes,
 * conditioned on what they say — and then writes unprimed: the letterforms
 * move toward the person's (slant, width, connection) while staying the
 * network's own. The drawn slant can be kept exactly by a shear of the
 * output (`shearToSlant`). Not in the paper.
 * @module
 */
import * as tf from "../tf.ts";
import { encodeText } from "../data/iamondb/charset.ts";
import type { Stroke } from "../data/iamondb/strokes.ts";
import { oneHotText, synthesisLoss, type SynthesisState, synthesisZeroState } from "../models/synthesis.ts";
import { variablesOf } from "../nn/params.ts";
import type { WritingNetwork } from "./write.ts";

/** A drawn line as the network reads it: normalised offsets (the first the null point) and its text. */
export interface HandLine {
  points: Float32Array;
  n: number;
  text: string;
}

/** How far to adapt: measured on Hershey faces and IAM lines (the journal); more steps bend letters into scrawl. */
export interface AdaptOptions {
  /** Adam steps on the whole line. @default 5 (measured: 10 cost timesr print a fifth of its words read, 20 most of them) */
  steps?: number;
  /** Adam's step size. @default 1e-4 */
  learningRate?: number;
}

/** Adam steps a writer takes toward a drawn hand unless told otherwise (CLI, page, bench). */
export const ADAPT_STEPS = 5;

/** The most pen points a line may have to be adapted to (about four IAM-OnDB lines): each step runs over all of them. */
export const ADAPT_MAX_POINTS = 2500;

/**
 * A copy of `w` adapted to `line` by `steps` Adam steps on −log Pr(line | its
 * text) (eq 26 with the window of section 5), the line as one sequence from
 * the zero state; `w` is untouched. Returns the adapted network (free it with
 * `disposeWriter`) and the loss before each step, in nats.
 */
export function adaptToHand(
  w: WritingNetwork,
  line: HandLine,
  o: AdaptOptions = {},
): { net: WritingNetwork; losses: number[] } {
  const losses: number[] = [];
  const it = adaptStepwise(w, line, o);
  let r = it.next();
  for (; !r.done; r = it.next()) losses.push(r.value);
  return { net: r.value, losses };
}

/**
 * `adaptToHand` one step at a time, for a page that draws and notices Stop
 * between steps: yields the loss before each step and returns the adapted
 * network. Stopped early (the iterator's `return`), it frees everything.
 */
export function* adaptStepwise(
  w: WritingNetwork,
  line: HandLine,
  o: AdaptOptions = {},
): Generator<number, WritingNetwork, undefined> {
  const T = line.n - 1;
  if (T < 2) throw new Error("the drawn line has fewer than three pen points: draw a word first");
  if (line.n > ADAPT_MAX_POINTS) {
    throw new Error(
      `the drawn lines have ${line.n.toLocaleString("en-US")} pen points; adapting takes at most ${
        ADAPT_MAX_POINTS.toLocaleString("en-US")
      } (about four lines)`,
    );
  }
  const vars = variablesOf(w.params, true);
  const opt = tf.train.adam(o.learningRate ?? 1e-4);
  const codes = encodeText(line.text, w.charset);
  const [x, target, mask, chars] = tf.tidy(() => [
    tf.tensor3d(line.points.subarray(0, 3 * T), [T, 1, 3]), // x_1..x_T
    tf.tensor3d(line.points.subarray(3, 3 * (T + 1)), [T, 1, 3]), // x_2..x_{T+1}
    tf.ones([T, 1]),
    oneHotText(codes, 1, codes.length, w.config.charClasses),
  ]);
  let finished = false;
  try {
    for (let s = 0; s < (o.steps ?? ADAPT_STEPS); s++) {
      let after: SynthesisState | undefined; // the final state, kept past the tape by the sequence op: freed here
      const loss = opt.minimize(
        () => {
          const r = synthesisLoss(vars, w.config, x, target, mask, chars, synthesisZeroState(w.config, 1));
          after = r.state;
          return r.loss;
        },
        true,
        Object.values(vars),
      );
      const value = loss!.dataSync()[0];
      loss!.dispose();
      if (after) tf.dispose([...after.stack.h, ...after.stack.c, after.kappa, after.w]);
      yield value;
    }
    finished = true;
    return { params: vars, config: w.config, stats: w.stats, charset: w.charset };
  } finally {
    tf.dispose([x, target, mask, chars]);
    opt.dispose();
    if (!finished) tf.dispose(Object.values(vars));
  }
}

/** Slant of handwriting: the length-weighted mean lean of its near-upright pen-down segments (x right, y down), radians; right-leaning > 0. */
export function slant(strokes: Stroke[]): number {
  let sum = 0, weight = 0;
  for (const s of strokes) {
    for (let i = 1; i < s.x.length; i++) {
      const dx = s.x[i] - s.x[i - 1], dy = s.y[i] - s.y[i - 1], len = Math.hypot(dx, dy);
      if (Math.abs(dy) < 2 * Math.abs(dx) || len === 0) continue; // within ~27° of upright
      sum += Math.atan2(-dx * Math.sign(dy), Math.abs(dy)) * len, weight += len;
    }
  }
  return weight ? sum / weight : 0;
}

/**
 * `strokes` (y down) sheared about their mean height by `by` radians of
 * slant (right-leaning > 0, as `slant` measures): x' = x − tan(by)·(y − ȳ).
 */
export function shearToSlant(strokes: Stroke[], by: number): Stroke[] {
  const ys = strokes.flatMap((s) => s.y);
  const mid = ys.reduce((a, y) => a + y, 0) / Math.max(1, ys.length), k = Math.tan(by);
  return strokes.map((s) => ({ x: s.x.map((x, i) => x - k * (s.y[i] - mid)), y: [...s.y] }));
}

/** How far a written slant may differ from the drawn one before it is sheared (radians, about 3°). */
export const SLANT_TOLERANCE = 0.05;

/**
 * `strokes` (y down) brought to within `tolerance` of the slant `to`: sheared
 * by the part of the difference beyond it (none when within). Upright
 * drawings keep the network's own near-upright lean; a slanted hand is
 * followed to within the tolerance. The measure is not linear in the shear
 * (segments enter and leave its near-upright window), so the shear is
 * repeated on what it measures, at most four times.
 */
export function slantToward(strokes: Stroke[], to: number, tolerance = SLANT_TOLERANCE): Stroke[] {
  let out = strokes;
  for (let i = 0; i < 4; i++) {
    const gap = to - slant(out);
    const by = Math.sign(gap) * Math.max(0, Math.abs(gap) - tolerance);
    if (Math.abs(by) < 1e-3) break;
    out = shearToSlant(out, by);
  }
  return out;
}
