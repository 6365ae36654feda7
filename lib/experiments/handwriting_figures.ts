/**
 * The handwriting figures of sections 4 and 5, one call each from notebooks
 * 03 and 04: the predictive density over a real line (Figs 10 and 14),
 * unconditional samples (Fig 11), the window's alignment (Fig 13), text
 * written at increasing bias (Figs 15-17) and primed by real lines (Fig 20).
 * Captions carry the network's short label; how samples were drawn beyond
 * the paper's rules goes in the title.
 * @module
 */
import { densityMap, weightsOverTime } from "../analysis/density.ts";
import { denormalise, offsetsToStrokes } from "../data/iamondb/offsets.ts";
import { readSplitList } from "../data/iamondb/splits.ts";
import { dataRoot } from "../util/paths.ts";
import type { HandwritingConfig } from "../models/handwriting.ts";
import type { SynthesisConfig } from "../models/synthesis.ts";
import { densityFigure, handwriting, heatmap } from "../plots/figures.ts";
import { type Figure, stack } from "../plots/render.ts";
import type { IamData } from "./iam.ts";
import {
  handwritingSamples,
  handwritingTrace,
  type LoadedNetwork,
  synthesisTrace,
} from "./handwriting_report.ts";
import { write, type WriteOptions, type Written } from "./write.ts";

/** Fig 10: the prediction network's density over validation line `k`, the mixture weights below. */
export function fig10(net: LoadedNetwork<HandwritingConfig>, data: IamData, k: number): Figure {
  const line = data.valid[k];
  const trace = handwritingTrace(net.params, net.config, line);
  const dm = densityMap(trace, line.points, data.stats);
  return stack([
    densityFigure(dm.grid, dm.strokes, {
      title: `Fig 10: predictive density over "${data.split.valid[k].text}"`,
    }),
    heatmap(weightsOverTime(trace), {
      x: "pen step",
      y: "mixture component",
      height: 180,
      scheme: "Blues",
      caption: net.label,
    }),
  ]);
}

/** What Fig 11's samples are: how many, how long, at what bias (σ only unless `biasWeights`). */
export interface SampleSettings {
  samples: number;
  sampleLength: number;
  bias: number;
  biasWeights: boolean;
  seed: number;
}

/** Fig 11: unconditional samples. */
export function fig11(net: LoadedNetwork<HandwritingConfig>, o: SampleSettings): Figure {
  const samples = handwritingSamples(net, o.samples, o.sampleLength, o.bias, o.seed, o.biasWeights);
  const bias = `bias ${o.bias}${o.biasWeights ? "" : " on σ only"}`;
  return handwriting(samples.map((strokes, k) => ({ strokes, label: `sample ${k + 1}` })), {
    title: `Fig 11: unconditional samples (${o.sampleLength} points, ${bias})`,
    caption: net.label,
  });
}

/** Figs 13 and 14: the window's φ(t, u) over validation line `k` and its text, and the density over it. */
export function fig13and14(net: LoadedNetwork<SynthesisConfig>, data: IamData, k: number) {
  const line = data.valid[k], text = data.split.valid[k].text;
  const al = synthesisTrace(net.params, net.config, line);
  const phiRows = new Float32Array(al.U * al.T); // [U, T]: one row per character
  for (let t = 0; t < al.T; t++) for (let u = 0; u < al.U; u++) phiRows[u * al.T + t] = al.phi[t * al.U + u];
  const strokes = offsetsToStrokes(denormalise(line.points, data.stats), line.n);
  const fig13 = stack([
    handwriting([{ strokes, label: text }], { title: "Fig 13: window weights φ(t, u)" }),
    heatmap({ values: phiRows, rows: al.U, cols: al.T }, {
      x: "pen step t",
      y: "character u",
      yTicks: [...text],
      height: 14 * al.U + 60,
      caption: net.label,
    }),
  ]);
  const dm = densityMap(al.trace, line.points, data.stats);
  const fig14 = densityFigure(dm.grid, dm.strokes, {
    title: "Fig 14: synthesis network's predictive density",
    caption: net.label,
  });
  return { fig13, fig14 };
}

/** How notebook 04 writes: the text, biases, primes, and the drawing options beyond the paper's rules. */
export interface WritingSettings
  extends Pick<WriteOptions, "finishStroke" | "biasWeights" | "unbiasedFirstStroke"> {
  text: string;
  biases: number[];
  /** Lines of the prime set (1-based) to prime Fig 20 with. */
  primes: number[];
  seed: number;
  maxStepsPerChar: number;
}

/** The drawing options beyond the paper's rules, in words ("" when none). */
export function howWritten(o: WritingSettings): string {
  return [
    !o.biasWeights && "bias on σ only",
    o.unbiasedFirstStroke && "bias from the first pen lift",
    o.finishStroke && `last stroke finished (≤ ${o.finishStroke} points)`,
  ].filter(Boolean).join(", ");
}

const writer = (net: LoadedNetwork<SynthesisConfig>, data: IamData) => ({
  params: net.params,
  config: net.config,
  stats: net.stats,
  charset: data.charset,
  label: net.label,
});

const options = (o: WritingSettings, bias: number): WriteOptions => ({
  bias,
  seed: o.seed,
  maxSteps: o.maxStepsPerChar * o.text.length,
  finishStroke: o.finishStroke,
  unbiasedFirstStroke: o.unbiasedFirstStroke,
  biasWeights: o.biasWeights,
});

/** Figs 15-17: the text written at each bias; the written lines too (their steps, whether each finished). */
export function fig15(net: LoadedNetwork<SynthesisConfig>, data: IamData, o: WritingSettings) {
  const w = writer(net, data);
  const biased = o.biases.map((bias) => ({ bias, w: write(w, o.text, options(o, bias)) }));
  const how = howWritten(o);
  const fig = handwriting(
    biased.map(({ bias, w }) => ({
      strokes: w.strokes,
      label: `bias ${bias}: ${w.steps} steps${w.finished ? "" : " (unfinished: step cap)"}`,
    })),
    { title: `Figs 15-17: "${o.text}" at increasing bias${how ? ` (${how})` : ""}`, caption: net.label },
  );
  return { fig, biased };
}

/** Fig 20: the text written in the style of each prime line (bias 0.5), the prime beside it. */
export function fig20(net: LoadedNetwork<SynthesisConfig>, data: IamData, o: WritingSettings): Figure {
  const w = writer(net, data);
  const primeIds = readSplitList(`${dataRoot()}/iamondb/splits/prime_set.txt`).map((p) => p.id);
  const all = [
    ...data.split.train.map((l, i) => ({ l, t: data.train[i] })),
    ...data.split.valid.map((l, i) => ({ l, t: data.valid[i] })),
  ];
  const primed: { id: string; prime: { points: Float32Array; n: number; text: string }; w: Written }[] = o
    .primes
    .map((k) => {
      const hit = all.find((x) => x.l.id === primeIds[k - 1])!;
      const prime = { points: hit.t.points, n: hit.t.n, text: hit.l.text };
      return { id: hit.l.id, prime, w: write(w, o.text, { ...options(o, 0.5), prime }) };
    });
  const how = howWritten(o);
  return handwriting(
    primed.flatMap(({ id, prime, w }) => [
      {
        strokes: offsetsToStrokes(denormalise(prime.points, data.stats), prime.n),
        label: `prime ${id}: "${prime.text}"`,
      },
      { strokes: w.strokes, label: `"${o.text}" in that style (bias 0.5)` },
    ]),
    { title: `Fig 20: primed sampling${how ? ` (${how})` : ""}`, caption: net.label },
  );
}
