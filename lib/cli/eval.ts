/**
 * `deno task eval <ptb|handwriting|synthesis> [--checkpoint dir] [--out file]`:
 * scores a checkpoint (default: the shipped one) on the whole held-out set and
 * writes `eval_full.json` beside the notebook's results (or to `--out`), which
 * the notebook shows beside its own quick numbers when the steps match.
 *
 * - ptb: the whole test set, static and with dynamic evaluation (minutes);
 *   `results/01_text_ptb/eval_full.json`.
 * - handwriting, synthesis: all 1,438 validation lines, nats per sequence and
 *   SSE per point (Tables 3-4); `results/03_handwriting_prediction/` and
 *   `results/04_handwriting_synthesis/`.
 * @module
 */
import { parseArgs } from "node:util";
import { join, relative } from "node:path";
import { initBackend } from "../backend.ts";
import { loadPtb } from "../data/ptb.ts";
import { PTB_SHIPPED } from "../experiments/ptb.ts";
import { loadPtbModel, perplexityFromBpc, scorePtb } from "../experiments/ptb_report.ts";
import { type FullValidation, loadNetwork } from "../experiments/handwriting_report.ts";
import { prepareIam } from "../experiments/iam.ts";
import { shippedDir } from "../experiments/run.ts";
import type { HandwritingConfig } from "../models/handwriting.ts";
import type { SynthesisConfig } from "../models/synthesis.ts";
import { evaluateHandwriting, evaluateSynthesis } from "../train/evaluate.ts";
import { resultsDir, runRecord } from "../report/record.ts";
import { PROJECT_ROOT } from "../data/location.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { checkpoint: { type: "string" }, out: { type: "string" } },
});
const what = positionals[0];
if (!["ptb", "handwriting", "synthesis"].includes(what)) {
  console.error("usage: deno task eval <ptb|handwriting|synthesis> [--checkpoint dir]");
  Deno.exit(2);
}
const t0 = performance.now();
await initBackend();
if (what !== "ptb") {
  const dir = values.checkpoint ?? shippedDir(what);
  const net = await loadNetwork<HandwritingConfig & SynthesisConfig>(dir);
  if (!net) {
    console.error(`${dir}: no checkpoint; train one with deno task train ${what}`);
    Deno.exit(1);
  }
  const data = await prepareIam();
  console.log(`checkpoint step ${net.step}: ${net.label}; scoring ${data.valid.length} validation lines`);
  const s = what === "synthesis"
    ? evaluateSynthesis(net.params, net.config, data.valid)
    : evaluateHandwriting(net.params, net.config, data.valid);
  const out: FullValidation & { record: unknown } = {
    checkpoint: relative(PROJECT_ROOT, dir),
    step: net.step,
    epochs: net.epochs,
    training_hours: net.hours,
    valid_nats_per_sequence: s.natsPerSequence,
    valid_sse_per_point: s.ssePerPoint,
    valid_lines_scored: s.lines,
    record: runRecord({
      command: `deno task eval ${what}`,
      profile: "full validation set",
      data: { iamondb: data.db.fingerprint, split: data.split.how, valid_lines: data.valid.length },
      config: net.config as unknown as Record<string, unknown>,
      wallSeconds: (performance.now() - t0) / 1000,
    }),
  };
  const path = values.out ?? join(
    resultsDir(what === "synthesis" ? "04_handwriting_synthesis" : "03_handwriting_prediction"),
    "eval_full.json",
  );
  Deno.writeTextFileSync(path, JSON.stringify(out, null, 2) + "\n");
  console.log(
    `${s.natsPerSequence.toFixed(1)} nats per sequence, SSE ${
      s.ssePerPoint.toFixed(3)
    } per point over ${s.lines} lines → ${relative(PROJECT_ROOT, path)}`,
  );
  Deno.exit(0);
}
const m = await loadPtbModel(values.checkpoint ?? PTB_SHIPPED);
const data = loadPtb();
console.log(
  `checkpoint step ${m.step}: ${m.epochs.toFixed(2)} epochs, ${
    m.hours.toFixed(2)
  } h; scoring ${data.test.length} test characters`,
);
const s = scorePtb(m, data);
const out = {
  checkpoint: relative(PROJECT_ROOT, m.checkpoint.path),
  step: m.step,
  epochs: m.epochs,
  training_hours: m.hours,
  test_bpc_static: s.static,
  test_bpc_dynamic: s.dynamic,
  test_perplexity_static: perplexityFromBpc(s.static),
  test_perplexity_dynamic: perplexityFromBpc(s.dynamic!),
  test_error_static: s.error,
  test_symbols_scored: s.symbols,
  record: runRecord({
    command: "deno task eval ptb",
    profile: "full test set",
    data: { ptb_test_symbols: data.test.length },
    config: m.config as unknown as Record<string, unknown>,
    wallSeconds: (performance.now() - t0) / 1000,
  }),
};
const path = join(resultsDir("01_text_ptb"), "eval_full.json");
Deno.writeTextFileSync(path, JSON.stringify(out, null, 2) + "\n");
console.log(
  `static ${s.static.toFixed(4)} BPC, dynamic ${s.dynamic!.toFixed(4)} BPC → ${relative(PROJECT_ROOT, path)}`,
);
