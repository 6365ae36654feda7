/**
 * Notebook 02's report, one call per cell: the network (shipped, or a
 * labelled smoke model), Table 2 with the paper's rows beside ours, the
 * learning curves, the surprise map, a long sample and the markup balance.
 * Every label says the data is a prefix of enwik8 when it is.
 * @module
 */
import type { Enwik8 } from "../data/enwik8.ts";
import { decodeEnwik8 } from "../data/enwik8.ts";
import { sampleText } from "../models/text.ts";
import { textSurprise } from "../eval/evaluate.ts";
import { Rng } from "../util/rng.ts";
import { exists } from "../util/paths.ts";
import { writeFileAtomic } from "../util/files.ts";
import { markupBalance } from "../analysis/markup.ts";
import type { ProgressFn } from "../train/progress.ts";
import { curves } from "../plots/figures.ts";
import type { Figure } from "../plots/render.ts";
import { textPageFigure } from "../plots/text_page.ts";
import { wikipediaClaims, words } from "../analysis/claims.ts";
import { readEvalFull, type RunRecord, writeMetrics } from "../report/record.ts";
import { columnsHtml, surpriseHtml } from "../report/text_html.ts";
import { shortLabel } from "../runs/label.ts";
import { trainingRecord } from "../runs/record.ts";
import { loadWikipediaModel, WIKIPEDIA, WIKIPEDIA_PROFILE_QUICK } from "./wikipedia.ts";
import { ptbChanges, ptbCurves, type PtbModel, scoreStream } from "./ptb_score.ts";

/** What notebook 02 does. */
export interface WikipediaNotebookConfig {
  /** Validation bytes dynamic evaluation runs on (undefined: all). */
  dynamicSymbols?: number;
  sampleLength: number;
  temperature: number;
  surpriseBytes: number;
  seed: number;
  /** Seeds and bytes per seed of the samples section 3.2's claims are measured on (at temperature 1). */
  claimsSeeds: number[];
  claimsBytes: number;
}

/** The network notebook 02 reports on. */
export interface WikipediaNetwork {
  model: PtbModel;
  /** At most 120 characters: the network, its training, and the data it saw (a prefix, said). */
  label: string;
  /** False for a smoke model trained here for a few steps. */
  trained: boolean;
}

/** The shipped network (its byte table checked against this copy), or a smoke model trained here. */
export async function wikipediaNetwork(data: Enwik8, onProgress?: ProgressFn): Promise<WikipediaNetwork> {
  const trained = exists(`${WIKIPEDIA.shipped}/latest.json`);
  let dir = WIKIPEDIA.shipped;
  if (!trained) {
    dir = await Deno.makeTempDir();
    await WIKIPEDIA.train(WIKIPEDIA_PROFILE_QUICK, { runDir: dir, ship: false, data, onProgress });
  }
  const model = await loadWikipediaModel(dir, data);
  const size = `${model.config.layers}×${model.config.cells} (paper 7×700)`;
  const bytes = `${data.isPrefix ? "enwik8 prefix" : "enwik8"}, ${(data.dataBytes / 1e6).toFixed(2)}M bytes`;
  const label = trained
    ? shortLabel(trainingRecord(model.checkpoint.meta), `${size} · ${bytes}`)
    : `SMOKE MODEL: ${size}, ${model.epochs.toFixed(3)} epochs from scratch, not a trained network`;
  return { model, label, trained };
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Table 2: the paper's rows and ours, static and dynamic, with the data each saw. */
export function wikipediaTable2(net: WikipediaNetwork, data: Enwik8, out: string, dynamicSymbols?: number) {
  const { model } = net;
  const s = scoreStream(model, data.valid, { dynamicSymbols });
  const full = readEvalFull<
    { step: number; valid_bpc_static: number; valid_bpc_dynamic: number; valid_bytes_dynamic: number }
  >(
    out,
    model.step,
  );
  const network = `${model.config.layers}×${model.config.cells}`;
  const row = (scored: string, dynamic: boolean, bytes: number, bpc: number) => ({
    source: "ours",
    network,
    checkpoint: net.label,
    data_bytes: data.dataBytes,
    scored,
    valid_bytes: bytes,
    dynamic,
    bpc: r4(bpc),
  });
  const paper = (dynamic: boolean, bpc: number) => ({
    source: "paper",
    network: "7×700",
    checkpoint: "Table 2",
    data_bytes: 100_000_000,
    scored: "validation split",
    valid_bytes: 4_000_000,
    dynamic,
    bpc,
  });
  const rows = [
    paper(false, 1.67),
    paper(true, 1.33),
    row("this run", false, s.symbols, s.static),
    row("this run", true, s.dynamicSymbols, s.dynamic!),
    ...(full
      ? [row("deno task eval wikipedia", true, full.valid_bytes_dynamic, full.valid_bpc_dynamic)]
      : []),
  ];
  return { rows, scores: s, full };
}

/** The learning curves, the paper's validation score for scale, ours on the whole validation split (`full`) as a dot. */
export function wikipediaCurvesFigure(net: WikipediaNetwork, full?: { valid_bpc_static?: number }): Figure {
  const s = full?.valid_bpc_static;
  return curves(ptbCurves(net.model.checkpoint), {
    x: "epoch",
    y: "bits per byte",
    title: "Wikipedia (enwik8 prefix) learning curves",
    caption: net.label,
    reference: [{ y: 1.67, label: "paper, validation, full enwik8: 1.67 (not comparable)" }],
    changes: ptbChanges(net.model.checkpoint),
    scores: s === undefined
      ? []
      : [{ x: net.model.epochs, y: s, label: `ours, whole validation split: ${s.toFixed(3)}` }],
  });
}

/** The first `bytes` validation bytes shaded by their surprise, written to `out/surprise.html`. */
export function wikipediaSurprise(net: WikipediaNetwork, data: Enwik8, bytes: number, out: string) {
  const stretch = data.valid.subarray(0, bytes + 1);
  const bits = textSurprise(net.model.params, net.model.config, stretch);
  const chars = Array.from(stretch.subarray(1), (c) => String.fromCharCode(data.bytes[c]));
  const html = surpriseHtml(chars, bits, 8, `Bits per byte along ${bytes} validation bytes (${net.label})`);
  Deno.writeTextFileSync(`${out}/surprise.html`, html);
  return { html, meanBits: bits.reduce((a, b) => a + b, 0) / bits.length };
}

/** The validation text from its first `<page>` on, `length` characters: the real excerpt a sample stands beside. */
export function realExcerpt(data: Enwik8, length: number): string {
  const head = decodeEnwik8(data.valid.subarray(0, Math.max(200_000, 2 * length)), data);
  const from = Math.max(0, head.indexOf("<page>"));
  return head.slice(from, from + length);
}

/**
 * A sample from a page header, written (given `out`) to `out/sample.txt`, and
 * beside a real validation excerpt of the same length to `out/sample.html`
 * (both whole) and `figure` (their first pages, as the paper shows them).
 */
export function wikipediaSample(
  net: WikipediaNetwork,
  data: Enwik8,
  config: Pick<WikipediaNotebookConfig, "sampleLength" | "temperature" | "seed">,
  out?: string,
): { sample: string; real: string; figure: Figure } {
  const prime = Array.from(new TextEncoder().encode("<page>\n    <title>"), (b) => data.codeOf[b]);
  const { params, config: c } = net.model;
  const gen = sampleText(params, c, prime, config.sampleLength, new Rng(config.seed), config.temperature);
  const sample = decodeEnwik8([...prime, ...gen], data), real = realExcerpt(data, sample.length);
  const how = `temperature ${config.temperature}, seed ${config.seed}`;
  const columns = [
    { heading: "real: enwik8 validation text", text: real },
    { heading: `generated: ${sample.length} characters, ${how}`, text: sample },
  ];
  if (out) {
    writeFileAtomic(`${out}/sample.html`, columnsHtml(columns, net.label));
    writeFileAtomic(`${out}/sample.txt`, sample);
  }
  const figure = textPageFigure(columns, {
    title: "Real and generated Wikipedia (first page of each; all of them in sample.html)",
    caption: net.label,
  });
  return { sample, real, figure };
}

/** Markup balance of the sample beside as many bytes of real validation text, from its first `<page>`. */
export function wikipediaBalance(data: Enwik8, sample: string) {
  return [["validation text", realExcerpt(data, sample.length)], ["sample", sample]].flatMap((
    [source, text],
  ) =>
    markupBalance(text).map((b) => ({ source, chars: text.length, ...b, matchedShare: r4(b.matchedShare) }))
  );
}

/**
 * Section 3.2's claims as numbers (`lib/analysis/claims.ts`) on samples from
 * page headers (`claimsSeeds`, `claimsBytes` each, temperature 1: the model's
 * own distribution) and on as many characters of real validation text.
 */
export function wikipediaClaimsTable(net: WikipediaNetwork, data: Enwik8, config: WikipediaNotebookConfig) {
  const vocabulary = new Set(words(decodeEnwik8(data.train, data)));
  const prime = Array.from(new TextEncoder().encode("<page>\n    <title>"), (b) => data.codeOf[b]);
  const { params, config: c } = net.model;
  const generated = config.claimsSeeds.map((seed) =>
    decodeEnwik8([...prime, ...sampleText(params, c, prime, config.claimsBytes, new Rng(seed), 1)], data)
  ).join("\n");
  const real = realExcerpt(data, generated.length);
  const [g, r] = [wikipediaClaims(generated, vocabulary), wikipediaClaims(real, vocabulary)];
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return [
    {
      claim: "samples",
      measure: `characters (temperature 1, seeds ${config.claimsSeeds.join(" ")})`,
      generated: generated.length,
      real: real.length,
    },
    ...g.map((x, i) => ({
      claim: x.claim,
      measure: x.measure,
      generated: r4(x.value),
      real: r4(r[i].value),
    })),
  ];
}

/** Writes notebook 02's `metrics.json`. */
export function wikipediaMetrics(
  net: WikipediaNetwork,
  t: ReturnType<typeof wikipediaTable2>,
  data: Enwik8,
  out: string,
  record: RunRecord,
): string {
  const { scores: s, full } = t;
  return writeMetrics(out, {
    valid_bpc_static: s.static,
    // the whole validation split when `deno task eval wikipedia` scored this checkpoint, else this run's prefix
    valid_bpc_dynamic: full?.valid_bpc_dynamic ?? s.dynamic,
    valid_bpc_dynamic_bytes: full?.valid_bytes_dynamic ?? s.dynamicSymbols,
    valid_bpc_dynamic_this_run: s.dynamic,
    valid_bpc_dynamic_bytes_this_run: s.dynamicSymbols,
    data_bytes: data.dataBytes,
    data_is_prefix: data.isPrefix,
    trained: net.trained,
    epochs: net.model.epochs,
    training_hours: net.model.hours,
    label: net.label,
    trained_under: net.model.trainedUnder,
  }, record);
}
