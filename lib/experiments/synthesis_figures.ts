/**
 * The handwriting synthesis figures of section 5, one call each from notebook
 * 04: the window's alignment (Fig 13), the density over a real word (Fig 14),
 * real lines beside unbiased samples of their texts (Fig 15), unbiased lines
 * (Fig 16), biased samples (Fig 17), primed samples (Fig 20), and how often
 * a line ends mid-stroke under the paper's stopping rule and under ours.
 * Captions carry the network's short label; how samples were drawn beyond
 * the paper's rules goes in the title.
 * @module
 */
import { denormalise, offsetsToStrokes } from "../data/iamondb/offsets.ts";
import { readSplitList } from "../data/iamondb/splits.ts";
import { dataRoot } from "../util/paths.ts";
import type { SynthesisConfig } from "../models/synthesis.ts";
import { handwriting, heatmap } from "../plots/figures.ts";
import { type Figure, stack } from "../plots/render.ts";
import type { IamData } from "./iam.ts";
import { type LoadedNetwork, synthesisTrace } from "./handwriting_report.ts";
import { densityOverWord, type WordAt } from "./handwriting_figures.ts";
import { write, type WriteOptions, type Written } from "./write.ts";
import { track } from "../util/track.ts";

/** Fig 13: the window's φ(t, u) over validation line `k`, its characters down the side. */
export function fig13(net: LoadedNetwork<SynthesisConfig>, data: IamData, k: number): Figure {
  const line = data.valid[k], text = data.split.valid[k].text;
  const al = synthesisTrace(net.params, net.config, line);
  const phiRows = new Float32Array(al.U * al.T); // [U, T]: one row per character
  for (let t = 0; t < al.T; t++) for (let u = 0; u < al.U; u++) phiRows[u * al.T + t] = al.phi[t * al.U + u];
  const strokes = offsetsToStrokes(denormalise(line.points, data.stats), line.n);
  return stack([
    handwriting([{ strokes, label: text }], { title: "Fig 13: window weights φ(t, u)" }),
    heatmap({ values: phiRows, rows: al.U, cols: al.T }, {
      x: "pen step t",
      y: "character u",
      yTicks: [...text],
      height: 14 * al.U + 60,
      caption: net.label,
    }),
  ]);
}

/**
 * Fig 14: the synthesis network's densities over the same word as Fig 10;
 * knowing the text, it predicts where the next letter starts (narrower clouds
 * at pen lifts). `compare`: Fig 10's mean log density of the real offsets.
 */
export function fig14(net: LoadedNetwork<SynthesisConfig>, data: IamData, at: WordAt, compare?: number) {
  const al = synthesisTrace(net.params, net.config, data.valid[at.line]);
  return densityOverWord(al.trace, data, at, {
    title: "Fig 14: mixture density outputs for handwriting synthesis",
    sentence: (ld, w) =>
      `"${w}" given its text: mean log density ${ld.toFixed(2)} nats per point` +
      (compare === undefined ? "" : `, ${compare.toFixed(2)} without the text (Fig 10)`),
    label: net.label,
  });
}

/** How notebook 04 writes: texts, biases, primes, and the drawing options beyond the paper's rules. */
export interface WritingSettings
  extends Pick<WriteOptions, "finishStroke" | "biasWeights" | "unbiasedFirstStroke"> {
  /** Fig 17's text. */
  text: string;
  biases: number[];
  /** Fig 15: validation lines (0-based) whose texts are written beside them. */
  realLines: number[];
  /** Fig 15: unbiased samples per text. */
  samplesPerText: number;
  /** Fig 16: texts written unbiased, one line each. */
  lines: string[];
  /** Lines of the prime set (1-based) to prime Fig 20 with. */
  primes: number[];
  /** Samples per bias for `endings` (the count: at least 24). */
  endingSamples: number;
  endingBiases: number[];
  seed: number;
  maxStepsPerChar: number;
}

/** The drawing options beyond the paper's rules, in words ("" when none). */
export function howWritten(
  o: Pick<WritingSettings, "finishStroke" | "biasWeights" | "unbiasedFirstStroke">,
): string {
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

const options = (o: WritingSettings, text: string, bias: number, seed = o.seed): WriteOptions => ({
  bias,
  seed,
  maxSteps: o.maxStepsPerChar * text.length,
  finishStroke: o.finishStroke,
  unbiasedFirstStroke: o.unbiasedFirstStroke,
  biasWeights: o.biasWeights,
});

const title = (what: string, o: WritingSettings, unbiased = false) => {
  const how = howWritten(unbiased ? { ...o, biasWeights: true } : o); // at b = 0 there is no bias to apply
  return how ? `${what} (${how})` : what;
};

const ended = (w: Written) => (w.finished ? "" : " (unfinished: step cap)");

/** Fig 15: real validation lines (not trained on), each above unbiased samples of its text. */
export function fig15(net: LoadedNetwork<SynthesisConfig>, data: IamData, o: WritingSettings): Figure {
  const w = writer(net, data);
  return handwriting(
    o.realLines.flatMap((k) => {
      const line = data.valid[k], text = data.split.valid[k].text;
      const real = {
        strokes: offsetsToStrokes(denormalise(line.points, data.stats), line.n),
        label: `real: "${text}"`,
      };
      const generated = Array.from({ length: o.samplesPerText }, (_, s) => {
        const r = write(w, text, options(o, text, 0, o.seed + s));
        return { strokes: r.strokes, label: `generated, unbiased${ended(r)}` };
      });
      return [real, ...generated];
    }),
    { title: title("Fig 15: real and generated handwriting", o, true), caption: net.label },
  );
}

/** Fig 16: several lines of text, each written unbiased (b = 0): the network's own variety of styles. */
export function fig16(net: LoadedNetwork<SynthesisConfig>, data: IamData, o: WritingSettings): Figure {
  const w = writer(net, data);
  return handwriting(
    o.lines.map((text, i) => {
      const r = write(w, text, options(o, text, 0, o.seed + i));
      return { strokes: r.strokes, label: `unbiased${ended(r)}` };
    }),
    { title: title("Fig 16: unbiased samples from the synthesis network", o, true), caption: net.label },
  );
}

/** Fig 17: the text written at each bias; the written lines too (their steps, whether each finished). */
export function fig17(net: LoadedNetwork<SynthesisConfig>, data: IamData, o: WritingSettings) {
  const w = writer(net, data);
  const biased = o.biases.map((bias) => ({ bias, w: write(w, o.text, options(o, o.text, bias)) }));
  const fig = handwriting(
    biased.map(({ bias, w }) => ({ strokes: w.strokes, label: `bias ${bias}: ${w.steps} steps${ended(w)}` })),
    { title: title(`Fig 17: "${o.text}" at increasing bias`, o), caption: net.label },
  );
  return { fig, biased };
}

/**
 * How lines end, over `endingSamples` seeds of Fig 17's text at each of
 * `endingBiases`: unfinished (the step cap ended them), cut mid-stroke by the
 * paper's stopping rule, and still cut after `finishStroke` points.
 */
export function endings(net: LoadedNetwork<SynthesisConfig>, data: IamData, o: WritingSettings) {
  const w = writer(net, data);
  const shown = track("writing", o.endingBiases.length * o.endingSamples, "lines");
  const rows = o.endingBiases.map((bias) => {
    const drawn = Array.from(
      { length: o.endingSamples },
      (_, s) => (shown.tick(), write(w, o.text, options(o, o.text, bias, 1 + s))),
    );
    return {
      text: o.text,
      bias,
      samples: drawn.length,
      unfinished: drawn.filter((d) => !d.finished).length,
      cut_by_paper_rule: drawn.filter((d) => d.finished && d.cutByRule).length,
      [`cut_after_finishing_${o.finishStroke ?? 0}_points`]: drawn.filter((d) => d.finished && d.cut).length,
    };
  });
  shown.done();
  return rows;
}

/** Fig 20: the text written in the style of each prime line (bias 0.5), the prime above it. */
export function fig20(net: LoadedNetwork<SynthesisConfig>, data: IamData, o: WritingSettings): Figure {
  const w = writer(net, data);
  const primeIds = readSplitList(`${dataRoot()}/iamondb/splits/prime_set.txt`).map((p) => p.id);
  const all = [
    ...data.split.train.map((l, i) => ({ l, t: data.train[i] })),
    ...data.split.valid.map((l, i) => ({ l, t: data.valid[i] })),
  ];
  const primed = o.primes.map((k) => {
    const hit = all.find((x) => x.l.id === primeIds[k - 1])!;
    const prime = { points: hit.t.points, n: hit.t.n, text: hit.l.text };
    return { id: hit.l.id, prime, w: write(w, o.text, { ...options(o, o.text, 0.5), prime }) };
  });
  return handwriting(
    primed.flatMap(({ id, prime, w }) => [
      {
        strokes: offsetsToStrokes(denormalise(prime.points, data.stats), prime.n),
        label: `prime ${id}: "${prime.text}"`,
      },
      { strokes: w.strokes, label: `"${o.text}" in that style (bias 0.5)${ended(w)}` },
    ]),
    { title: title("Fig 20: primed sampling", o), caption: net.label },
  );
}
