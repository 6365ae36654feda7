/**
 * The shipped synthesis network in a page: its float16 checkpoint fetched and
 * decoded by tfjs, and lines written point by point through the library's own
 * sampler (`synthesisPoints`, the loop `deno task write` runs), yielding to
 * the page every few points so the pen is drawn as it moves and Stop works.
 * @module
 */
import * as tf from "../../lib/tf.ts";
import { type Charset, encodeText } from "../../lib/data/iamondb/charset.ts";
import { linesFacts } from "../../lib/data/iamondb/record.ts";
import type { OffsetStats } from "../../lib/data/iamondb/offsets.ts";
import type { SynthesisConfig } from "../../lib/models/synthesis.ts";
import { synthesisPoints } from "../../lib/models/synthesis_sample.ts";
import type { Params } from "../../lib/nn/params.ts";
import { Rng } from "../../lib/util/rng.ts";

/** The network, ready to write. */
export interface PageWriter {
  params: Params;
  config: SynthesisConfig;
  stats: OffsetStats;
  charset: Charset;
  /** Epochs and hours behind it, from its record. */
  label: string;
}

/** Fetches `base/model.json` and its weights and decodes them (float16 → float32 tensors). */
export async function loadPageWriter(base: string): Promise<PageWriter> {
  const model = await (await fetch(`${base}/model.json`)).json();
  const group = model.weightsManifest[0];
  const bin = await (await fetch(`${base}/${group.paths[0]}`)).arrayBuffer();
  const tensors = tf.io.decodeWeights(bin, group.weights) as Record<string, tf.Tensor>;
  const params: Params = {};
  for (const [k, v] of Object.entries(tensors)) {
    if (k.startsWith("param/")) params[k.slice("param/".length)] = v;
    else v.dispose();
  }
  const meta = model.meta;
  const { stats, charset } = linesFacts(meta.data, `${base}/model.json`);
  if (!charset) throw new Error(`${base}/model.json: the network has no charset: not a synthesis network`);
  return {
    params,
    config: meta.profile.model,
    stats,
    charset,
    label: `${meta.epochs.toFixed(1)} epochs, ${(meta.seconds / 3600).toFixed(1)} h of training`,
  };
}

/** The characters of `text` the network has no class for, each once, in order. */
export function unknownCharacters(text: string, charset: Charset): string[] {
  return [...new Set([...text].filter((ch) => ch !== "\n" && charset.classOf(ch) === undefined))];
}

/** Options for one line. */
export interface LineOptions {
  bias: number;
  seed: number;
  prime?: { points: Float32Array; n: number; text: string };
  /** Points allowed after the stopping rule to finish the last stroke (as `deno task write`). */
  finishStroke: number;
  maxStepsPerChar: number;
  /** Called with each new batch of points (tablet units, y up) so the page can draw them. */
  onPoints?: (offsets: Float32Array) => void;
  /** Checked between batches; true stops the line. */
  stopped?: () => boolean;
  /** Milliseconds of sampling between yields to the page (to draw, to notice Stop). @default 30 */
  frameMs?: number;
}

/** One written line: offsets (Δx, Δy, pen) in tablet units, y up. */
export interface PageLine {
  points: Float32Array;
  steps: number;
  finished: boolean;
  seconds: number;
}

/**
 * Writes one line, σ-only bias as `deno task write` (the shipped network's
 * pen can stall with sharpened weights), yielding to the page between batches.
 */
export async function writeLine(w: PageWriter, text: string, o: LineOptions): Promise<PageLine> {
  const t0 = performance.now();
  const full = o.prime ? `${o.prime.text} ${text}` : text;
  const codes = encodeText(full, w.charset);
  const it = synthesisPoints(w.params, w.config, codes, new Rng(o.seed), {
    bias: o.bias,
    maxSteps: o.maxStepsPerChar * [...text].length,
    prime: o.prime?.points.subarray(0, 3 * o.prime.n),
    finishStroke: o.finishStroke,
    biasWeights: false,
    yieldPriming: true, // a long prime is read in batches too: the tab stays responsive, Stop works
  });
  const [sx, sy] = w.stats.std, [mx, my] = w.stats.mean;
  const out: number[] = [];
  let pending: number[] = [], drawn = performance.now();
  let r = it.next();
  for (; !r.done; r = it.next()) {
    if (!r.value.priming) {
      const [dx, dy, e] = r.value.point;
      pending.push(dx * sx + mx, dy * sy + my, e);
    }
    if (performance.now() - drawn >= (o.frameMs ?? 30)) {
      out.push(...pending);
      if (pending.length) o.onPoints?.(Float32Array.from(pending));
      pending = [];
      await new Promise((res) => setTimeout(res, 0)); // let the page draw
      drawn = performance.now();
      if (o.stopped?.()) {
        it.return(undefined as never);
        break;
      }
    }
  }
  out.push(...pending);
  if (pending.length) o.onPoints?.(Float32Array.from(pending));
  return {
    points: Float32Array.from(out),
    steps: out.length / 3,
    finished: r.done === true && r.value.finished,
    seconds: (performance.now() - t0) / 1000,
  };
}
