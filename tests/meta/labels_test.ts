/**
 * Labels in `results/` stay short: every CSV cell and header, every figure's
 * title, caption and text, every sample header is at most 120 characters (a
 * run's full history lives in its `metrics.json`); the shipped checkpoints'
 * short labels fit, and a figure refuses a longer caption.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";
import { LABEL_MAX } from "../../lib/util/text.ts";
import { readCheckpointMeta } from "../../lib/runs/checkpoint.ts";
import { describeTraining, shortLabel } from "../../lib/runs/label.ts";
import { trainingRecord } from "../../lib/runs/record.ts";
import { plot } from "../../lib/plots/render.ts";

const RESULTS = join(PROJECT_ROOT, "results");

function* resultFiles(dir = RESULTS): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory && e.name !== "checkpoints") yield* resultFiles(p);
    else if (e.isFile) yield p;
  }
}

/** The cells of a CSV file (quoted cells with commas and doubled quotes understood). */
export function csvCells(text: string): string[] {
  return [...text.matchAll(/"((?:[^"]|"")*)"|([^,\n]+)/g)].map((m) => m[1]?.replaceAll('""', '"') ?? m[2]);
}

/** The labels a result file shows: CSV cells, SVG text, sample-file header lines. */
function labelsOf(path: string): string[] {
  const text = Deno.readTextFileSync(path);
  if (path.endsWith(".csv")) return csvCells(text);
  if (path.endsWith(".svg")) {
    return [...text.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) => m[1].replace(/<[^>]+>/g, ""));
  }
  if (path.endsWith(".txt")) return text.split("\n").filter((l) => l.startsWith("# "));
  return [];
}

Deno.test("labels: no CSV cell, figure text or sample header in results/ is over 120 characters", () => {
  const long = [...resultFiles()].flatMap((f) =>
    labelsOf(f).filter((l) => l.length > LABEL_MAX).map((l) =>
      `${relative(PROJECT_ROOT, f)}: ${l.length}: ${l}`
    )
  );
  assert.deepEqual(long, []);
});

Deno.test("labels: the CSV reader sees quoted cells whole", () => {
  assert.deepEqual(csvCells('a,"b, c","say ""hi"""\n1,2,3'), ["a", "b, c", 'say "hi"', "1", "2", "3"]);
});

Deno.test("labels: each shipped checkpoint's short label fits; its whole history is longer and kept", () => {
  for (const name of ["ptb", "wikipedia", "handwriting", "handwriting-awn", "synthesis", "writer"]) {
    const record = trainingRecord(readCheckpointMeta(join(RESULTS, "checkpoints", name)).meta);
    const label = shortLabel(record);
    assert.ok(label.length <= LABEL_MAX, `${name}: ${label}`);
    assert.match(label, /epochs · [\d.]+ h/, name);
    assert.ok(describeTraining(record).length > 0, name);
  }
  const avg = trainingRecord(readCheckpointMeta(join(RESULTS, "checkpoints", "handwriting")).meta);
  assert.match(shortLabel(avg), /^weight average of 23 checkpoints/, "an average says so, every time");
  assert.ok(describeTraining(avg).length > 1000, "the whole history is still printable");
  // a network trained on under another profile says which it ended under, not only where it began
  const awn = trainingRecord(readCheckpointMeta(join(RESULTS, "checkpoints", "handwriting-awn")).meta);
  assert.match(shortLabel(awn), /profile paper, then paper-awn$/);
  assert.match(shortLabel(avg), /profile paper$/, "one profile throughout: named once");
});

Deno.test("labels: a figure refuses a caption or title over 120 characters", () => {
  assert.throws(() => plot({ marks: [], caption: "x".repeat(121) }), /figure caption is 121 characters/);
  assert.throws(() => plot({ marks: [], title: "y".repeat(200) }), /figure title is 200 characters/);
  assert.doesNotThrow(() => plot({ marks: [], caption: "x".repeat(120) }));
});

Deno.test("records: every metrics.json in results/ says what made it — command, commit, a clean tree, date, backend, machine", () => {
  const files = [...resultFiles()].filter((f) => f.endsWith("metrics.json"));
  assert.ok(files.length >= 5);
  for (const f of files) {
    const r = JSON.parse(Deno.readTextFileSync(f)).record;
    const where = relative(PROJECT_ROOT, f);
    assert.match(r.command, /^(GRAVES_PROFILE=\w+ )?deno task /, where);
    assert.match(r.commit, /^[0-9a-f]{7,}$/, where);
    assert.equal(r.dirty, false, `${where}: written from a tree with uncommitted changes`);
    assert.ok(!Number.isNaN(Date.parse(r.date)), where);
    assert.match(r.backend, /^backend: /, where);
    assert.match(r.machine, /, \d+ cores$/, where);
    assert.ok(r.data && Object.keys(r.data).length > 0, `${where}: the data's identity`);
    assert.equal(r.wallSeconds, undefined, `${where}: no wall-clock values in results`);
  }
});

Deno.test("records: every eval_*.json and bench record in results/ says what made it, from a clean tree", () => {
  const files = [...resultFiles()].filter((f) => /eval_\w+\.json$|bench\.record\.json$/.test(f));
  assert.ok(files.length >= 7);
  for (const f of files) {
    const j = JSON.parse(Deno.readTextFileSync(f));
    const r = j.record ?? j, where = relative(PROJECT_ROOT, f);
    assert.match(r.command, /^deno task (eval|bench)\b/, where);
    assert.match(r.commit, /^[0-9a-f]{7,}$/, where);
    assert.equal(r.dirty, false, where);
    assert.match(r.machine ?? "", /, \d+ cores$/, where);
    assert.equal(r.wallSeconds, undefined, where);
  }
});
