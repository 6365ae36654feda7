/**
 * `deno task inspect <run-dir> [--epsilon x]`: a run folder's record (step,
 * epochs, hours, phases, optimiser, the in-run evaluations it recorded while
 * training) and, for RMSProp runs, where the
 * stabiliser ℸ of eq 41 sets the step: per parameter, the median spread of
 * its gradient √(n − g²) and the share of its weights below ℸ
 * (`lib/analysis/rmsprop_scale.ts`). `--epsilon` asks the same of another ℸ
 * (`--daleth`, its old name, still works).
 * Shipped checkpoints keep no optimiser slots; point it at a `runs/` folder.
 * @module
 */
import "./errors.ts"; // one-line errors, exit 1 (2 for bad arguments)
import { parseArgs } from "node:util";
import { initBackend } from "../backend.ts";
import { stabiliserShare } from "../analysis/rmsprop_scale.ts";
import { loadCheckpoint } from "../runs/checkpoint.ts";
import { tensorsWithPrefix } from "../nn/params.ts";
import { describeTraining } from "../runs/label.ts";
import { trainingRecord } from "../runs/record.ts";
import { optimizerRecord } from "../train/optimizers.ts";
import type { HistoryRow } from "../train/loop.ts";
import { displayPath } from "../util/paths.ts";
import * as tf from "../tf.ts";
import { exitWithUsage } from "./usage.ts";
exitWithUsage(import.meta.url);

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { epsilon: { type: "string" }, daleth: { type: "string" } },
});
const asked = values.epsilon ?? values.daleth; // ℸ, by its readable name or its old one
if (positionals.length !== 1 || (asked !== undefined && !(Number(asked) > 0))) {
  console.error("usage: deno task inspect <run-dir> [--epsilon x] (x > 0)");
  Deno.exit(2);
}
const dir = positionals[0];
await initBackend({ quiet: true });
try {
  const ckpt = await loadCheckpoint(dir);
  const meta = ckpt.meta as {
    experiment?: string;
    optimizer?: { name: string; hyper: Record<string, number> };
    evals?: HistoryRow[];
  };
  console.log(
    `${displayPath(dir)}: ${meta.experiment ?? "?"}, step ${ckpt.step.toLocaleString("en-US")}, ${
      describeTraining(trainingRecord(ckpt.meta))
    }`,
  );
  // records from before the settings were renamed say gimel, daleth, …
  const opt = meta.optimizer && optimizerRecord(meta.optimizer);
  console.log(`optimiser: ${opt ? `${opt.name} ${JSON.stringify(opt.hyper)}` : "not recorded"}`);
  const evals = meta.evals ?? [];
  if (evals.length) console.log(`in-run evaluations recorded while training (${evals.length}):`);
  for (const e of evals) {
    const scores = Object.entries(e).filter(([k]) => k.startsWith("valid_") || k.startsWith("test_"));
    console.log(
      `  step ${e.step.toLocaleString("en-US")}: ${
        scores.map(([k, v]) => `${k} ${Number(v).toPrecision(5)}`).join(", ")
      }`,
    );
  }
  if (opt?.name !== "rmsprop") {
    console.log("not an RMSProp run: no stabiliser to inspect");
  } else {
    const daleth = asked !== undefined ? Number(asked) : opt.hyper.epsilon; // ℸ
    const rows = stabiliserShare(tensorsWithPrefix(ckpt.tensors, "opt/"), daleth);
    console.log(
      `\nRMSProp (eq 41): the share of each parameter's weights whose gradient variance n − g² < ℸ = ${daleth}`,
    );
    console.log(
      `(for those the step is about ℷ·ε/√ℸ, SGD at rate ℷ/√ℸ = ${
        (opt.hyper.learningRate / Math.sqrt(daleth)).toPrecision(3)
      })\n`,
    );
    console.log("| parameter | weights | median √(n − g²) | share below ℸ |\n| --- | --- | --- | --- |");
    for (const r of rows) {
      console.log(
        `| ${r.param} | ${r.weights.toLocaleString("en-US")} | ${r.medianSpread.toExponential(2)} | ${
          (100 * r.shareBelow).toFixed(0)
        }% |`,
      );
    }
    const total = rows.reduce((s, r) => s + r.weights, 0);
    const below = rows.reduce((s, r) => s + r.weights * r.shareBelow, 0);
    console.log(
      `\nall weights: ${(100 * below / total).toFixed(0)}% of ${total.toLocaleString("en-US")} below ℸ`,
    );
  }
  tf.dispose(Object.values(ckpt.tensors));
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(1);
}
