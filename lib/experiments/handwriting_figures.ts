/**
 * The handwriting prediction figures of section 4, one call each from
 * notebook 03: the predictive density over a real word (Fig 10; Fig 14 draws
 * the synthesis network's the same way) and unconditional samples (Fig 11).
 * Captions carry what the figure shows and the network's short label.
 * @module
 */
import {
  densityMap,
  meanLogDensity,
  type MixtureTrace,
  weightsOverTime,
  wordSpans,
} from "../analysis/density.ts";
import type { HandwritingConfig } from "../models/handwriting.ts";
import { densityFigure, handwriting, heatmap } from "../plots/figures.ts";
import { type Figure, stack } from "../plots/render.ts";
import type { IamData } from "./iam.ts";
import { handwritingSamples, handwritingTrace, type LoadedNetwork } from "./handwriting_report.ts";

/** A word of a validation line: the line's index and the word's, counted as `wordSpans` splits the ink. */
export interface WordAt {
  line: number;
  word: number;
}

/**
 * The first validation line where `word` stands as a word and the ink splits
 * into as many words as the transcription has (so the span is that word's).
 */
export function findWord(data: IamData, word: string): WordAt {
  for (let k = 0; k < data.valid.length; k++) {
    const words = data.split.valid[k].text.trim().split(/\s+/), i = words.indexOf(word);
    if (i >= 0 && wordSpans(data.valid[k].points, data.stats).length === words.length) {
      return { line: k, word: i };
    }
  }
  throw new Error(`no validation line writes "${word}" with its words clearly apart`);
}

function wordRange(data: IamData, at: WordAt): { from: number; to: number; text: string } {
  const words = data.split.valid[at.line].text.trim().split(/\s+/);
  const spans = wordSpans(data.valid[at.line].points, data.stats);
  if (spans.length !== words.length || !words[at.word]) {
    throw new Error(
      `validation line ${at.line}: ${spans.length} ink words for ${words.length} typed; choose another`,
    );
  }
  return { from: spans[at.word][0], to: spans[at.word][1], text: words[at.word] };
}

/** A density figure (Figs 10, 14): the word's summed densities, mixture weights below, a sentence and the label. */
export function densityOverWord(
  trace: MixtureTrace,
  data: IamData,
  at: WordAt,
  o: { title: string; sentence: (logDensity: number, word: string) => string; label: string },
) {
  const line = data.valid[at.line], w = wordRange(data, at);
  const dm = densityMap(trace, line.points, data.stats, { from: w.from, to: w.to, nx: 600 });
  const logDensity = meanLogDensity(trace, line.points, w.from, w.to);
  const figure = stack([
    densityFigure(dm.grid, dm.strokes, { title: o.title, caption: o.sentence(logDensity, w.text) }),
    heatmap(weightsOverTime(trace, w.from, w.to - 1), {
      x: "pen step",
      y: "mixture component",
      height: 150,
      scheme: "Blues",
      caption: o.label,
    }),
  ]);
  return { figure, logDensity, word: w.text };
}

/**
 * Fig 10: the prediction network's densities for the next pen position over
 * one real word, summed over its steps (log scale), the mixture weights π
 * below; `logDensity` is the mean log density of the real next offsets.
 */
export function fig10(net: LoadedNetwork<HandwritingConfig>, data: IamData, at: WordAt) {
  const trace = handwritingTrace(net.params, net.config, data.valid[at.line]);
  return densityOverWord(trace, data, at, {
    title: "Fig 10: mixture density outputs for handwriting prediction",
    sentence: (_, w) =>
      `"${w}": densities of successive predictions added; sharp inside strokes, wide at stroke ends`,
    label: net.label,
  });
}

/** What Fig 11's samples are: how many, how long, at what bias (σ only unless `biasWeights`). */
export interface SampleSettings {
  samples: number;
  sampleLength: number;
  bias: number;
  biasWeights: boolean;
  seed: number;
}

/** Fig 11: unconditional samples (the paper's are unbiased, 700 points each). */
export function fig11(net: LoadedNetwork<HandwritingConfig>, o: SampleSettings): Figure {
  const samples = handwritingSamples(net, o.samples, o.sampleLength, o.bias, o.seed, o.biasWeights);
  const bias = o.bias === 0 ? "unbiased" : `bias ${o.bias}${o.biasWeights ? "" : " on σ only"}`;
  return handwriting(samples.map((strokes, k) => ({ strokes, label: `sample ${k + 1}` })), {
    title: `Fig 11: unconditional samples (${o.sampleLength} points, ${bias})`,
    caption: net.label,
  });
}
