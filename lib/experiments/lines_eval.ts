/**
 * `deno task eval handwriting|synthesis [--lines select|report|all]`: a line
 * network on IAM-OnDB's validation lines — all 1,438 (the paper's set), or
 * the selection half candidates are chosen on, or the report half — in nats
 * per sequence and SSE per point (Tables 3-4); and the README's row for it.
 * @module
 */
import { relative } from "node:path";
import type { TrainingLine } from "../data/lines.ts";
import type { Params } from "../nn/params.ts";
import { count, fixed, gap, type HeadlineRow, num, type ReadResult } from "../report/headline.ts";
import { runRecord } from "../report/record.ts";
import { UsageError } from "../util/errors.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { clip } from "../util/text.ts";
import type { FullValidation, LoadedNetwork } from "./handwriting_report.ts";
import { type IamData, validationLines, type ValidLines } from "./iam.ts";
import type { Scoring } from "./scoring.ts";

/** What scoring a line network needs from its experiment. */
export interface LinesScoringOf<C> {
  loadData: () => Promise<IamData>;
  open: (dir: string) => Promise<LoadedNetwork<C>>;
  score: (
    p: Params,
    c: C,
    lines: TrainingLine[],
  ) => { natsPerSequence: number; ssePerPoint: number; lines: number };
}

/** A line experiment's scoring: `eval_full.json` for all lines, `eval_select.json` / `eval_report.json` for a half. */
export function linesScoring<C>(x: LinesScoringOf<C>): Scoring {
  return {
    about: "all 1,438 validation lines (--lines select|report: one fixed half, eval_select.json / " +
      "eval_report.json; candidates are chosen on select), nats per sequence and SSE per point " +
      "→ eval_full.json in its results folder",
    flags: {
      lines:
        "select or report (one fixed half of the validation lines; candidates are chosen on select) or all",
    },
    plan(flags, { checkpoint }) {
      const which = (flags.lines ?? "all") as ValidLines;
      if (!["select", "report", "all"].includes(which)) {
        throw new UsageError(`--lines ${flags.lines}: select, report or all (default all)`);
      }
      return async () => {
        const net = await x.open(checkpoint);
        const data = await x.loadData();
        const { lines, ids } = validationLines(data, which);
        const set = which === "all" ? "all" : `the ${which} half of the`;
        console.log(
          `checkpoint step ${net.step}: ${net.label}; scoring ${set} ${lines.length} validation lines`,
        );
        const s = x.score(net.params, net.config, lines);
        const out: FullValidation & { record: unknown } = {
          checkpoint: relative(PROJECT_ROOT, checkpoint),
          step: net.step,
          epochs: net.epochs,
          training_hours: net.hours,
          trained_under: net.trainedUnder,
          valid_nats_per_sequence: s.natsPerSequence,
          valid_sse_per_point: s.ssePerPoint,
          valid_lines_scored: s.lines,
          valid_lines: which,
          record: runRecord({
            profile: which === "all" ? "full validation set" : `the ${which} half of the validation set`,
            data: {
              iamondb: data.db.fingerprint,
              split: data.split.how,
              valid_lines: which,
              lines: lines.length,
              line_ids_md5: ids,
            },
            config: net.config as object,
          }),
        };
        return {
          file: which === "all" ? "eval_full.json" : `eval_${which}.json`,
          out: { ...out }, // the interface as a plain record
          summary: `${s.natsPerSequence.toFixed(1)} nats per sequence, SSE ${
            s.ssePerPoint.toFixed(3)
          } per point over ${s.lines} lines`,
        };
      };
    },
  };
}

/**
 * The name of an experiment's adaptive weight noise network, shipped beside
 * its own (`results/checkpoints/<kind>-awn`), whose scores `deno task eval`
 * writes to a folder of the same name in the notebook's results.
 */
export const awnName = (kind: string): string => `${kind}-awn`;

/**
 * The README's rows of a line experiment (`name`, scored into `results/<dir>/`):
 * validation nats per line against the paper's (`table`), all lines and the
 * report half; and, where `awn` names the experiment (`kind`), its adaptive
 * weight noise network's (`results/<dir>/<kind>-awn/`) against the paper's
 * AWN row.
 */
export function linesHeadline(
  name: string,
  dir: string,
  paper: number,
  table: string,
  awn?: { paper: number; kind: string },
) {
  return (read: ReadResult): HeadlineRow[] => {
    const m = read(`${dir}/metrics.json`);
    if (!m) return [];
    const row = (
      at: string,
      against: number,
      regularised: string,
      o: { heldOut: string; how: string; step?: unknown },
    ): HeadlineRow[] => {
      const full = read(`${at}/eval_full.json`);
      if (!full || (o.step !== undefined && full.step !== o.step)) return [];
      const all = num(full.valid_nats_per_sequence);
      const report = read(`${at}/eval_report.json`);
      const r = report && report.step === full.step ? num(report.valid_nats_per_sequence) : NaN;
      return [{
        experiment: `${name}${regularised} (${table})`,
        measure: "validation nats per line",
        paper: fixed(against, 1),
        ours: `${fixed(all, 1)} (all ${count(full.valid_lines_scored)} lines)` +
          (Number.isFinite(r) ? `; ${fixed(r, 1)} (report half, ${o.heldOut})` : ""),
        gap: gap(all, against, 1),
        how: clip(o.how),
        sources: [
          `${at}/eval_full.json`,
          `${dir}/metrics.json`,
          ...(report ? [`${at}/eval_report.json`] : []),
        ],
      }];
    };
    return [
      ...row(dir, paper, "", { heldOut: "not held out", how: `${m.label}; members chosen on these lines` }),
      // the AWN network was chosen on the selection half only: its report half is held out
      ...(awn && typeof m.awn_label === "string"
        ? row(`${dir}/${awnName(awn.kind)}`, awn.paper, ", adaptive weight noise", {
          heldOut: "held out",
          how: `${m.awn_label}; chosen on the selection half`,
          step: m.awn_checkpoint_step,
        })
        : []),
    ];
  };
}
