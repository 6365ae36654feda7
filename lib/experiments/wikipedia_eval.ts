/**
 * `deno task eval wikipedia`: the whole validation split of the enwik8 copy
 * found (a prefix says so), static and with dynamic evaluation (Table 2),
 * written to `results/02_text_wikipedia/eval_full.json`; and the README's
 * Wikipedia row.
 * @module
 */
import { relative } from "node:path";
import type { Enwik8 } from "../data/enwik8.ts";
import { loadEnwik8 } from "../data/enwik8.ts";
import { fixed, gap, type HeadlineRow, num, type ReadResult } from "../report/headline.ts";
import { runRecord } from "../report/record.ts";
import { PROJECT_ROOT } from "../util/paths.ts";
import { clip } from "../util/text.ts";
import { type PtbModel, scoreStream } from "./ptb_score.ts";
import type { Scoring } from "./scoring.ts";

/** Wikipedia's scoring: no flags; `open` loads a checkpoint against the copy of enwik8 found. */
export function wikipediaScoring(open: (dir: string, data: Enwik8) => Promise<PtbModel>): Scoring {
  return {
    about: "the whole validation split of the enwik8 copy found (a prefix says so), static and dynamic " +
      "→ results/02_text_wikipedia/eval_full.json",
    flags: {},
    plan: (_flags, { checkpoint }) => async () => {
      const data = loadEnwik8();
      const m = await open(checkpoint, data);
      console.log(
        `checkpoint step ${m.step}: ${m.epochs.toFixed(2)} epochs, ${m.hours.toFixed(2)} h; ${data.caveat}`,
      );
      const s = scoreStream(m, data.valid);
      return {
        file: "eval_full.json",
        summary: `static ${s.static.toFixed(4)} BPC, dynamic ${
          s.dynamic!.toFixed(4)
        } BPC over ${s.symbols} bytes`,
        out: {
          checkpoint: relative(PROJECT_ROOT, m.checkpoint.path),
          step: m.step,
          epochs: m.epochs,
          training_hours: m.hours,
          valid_bpc_static: s.static,
          valid_bpc_dynamic: s.dynamic,
          valid_bytes_scored: s.symbols,
          valid_bytes_dynamic: s.dynamicSymbols,
          data_bytes: data.dataBytes,
          data_is_prefix: data.isPrefix,
          record: runRecord({
            profile: "full validation split",
            data: { enwik8: data.caveat },
            config: { ...m.config },
          }),
        },
      };
    },
  };
}

/** The README's Wikipedia row: validation BPC against Table 2's (not comparable on a prefix). */
export function wikipediaHeadline(read: ReadResult): HeadlineRow[] {
  const wiki = read("02_text_wikipedia/eval_full.json"), m = read("02_text_wikipedia/metrics.json");
  if (!wiki || !m) return [];
  const [s, d] = [num(wiki.valid_bpc_static), num(wiki.valid_bpc_dynamic)];
  return [{
    experiment: "Wikipedia bytes (Table 2)",
    measure: "validation BPC, static / dynamic",
    paper: "1.67 / 1.33 (96M bytes)",
    ours: `${fixed(s, 2)} / ${fixed(d, 2)}`,
    gap: wiki.data_is_prefix ? "not comparable (prefix)" : `${gap(s, 1.67, 2)} / ${gap(d, 1.33, 2)}`,
    how: clip(String(m.label)),
    sources: ["02_text_wikipedia/eval_full.json", "02_text_wikipedia/metrics.json"],
  }];
}
