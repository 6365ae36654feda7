/**
 * `deno task eval ptb [--checkpoint dir]`: scores a PTB checkpoint on the
 * whole test set, static and with dynamic evaluation (slow on a CPU: minutes),
 * and writes `results/01_text_ptb/eval_full.json`, which notebook 01 shows
 * beside its own quick numbers.
 * @module
 */
import { parseArgs } from "node:util";
import { join, relative } from "node:path";
import { initBackend } from "../backend.ts";
import { loadPtb } from "../data/ptb.ts";
import { PTB_SHIPPED } from "../experiments/ptb.ts";
import { loadPtbModel, perplexityFromBpc, scorePtb } from "../experiments/ptb_report.ts";
import { resultsDir, runRecord } from "../report/record.ts";
import { PROJECT_ROOT } from "../data/location.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { checkpoint: { type: "string", default: PTB_SHIPPED } },
});
if (positionals[0] !== "ptb") {
  console.error("usage: deno task eval ptb [--checkpoint dir]");
  Deno.exit(2);
}
const t0 = performance.now();
await initBackend();
const m = await loadPtbModel(values.checkpoint);
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
