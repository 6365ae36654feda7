/**
 * IAM-OnDB: archive reading, parsing, pairing, preprocessing, splits, cache,
 * and a clear error for each kind of bad input. Real-data checks skip with a
 * visible message when the corpus is absent.
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { readTar } from "../../lib/data/tar.ts";
import { parseStrokeSet } from "../../lib/data/iamondb/strokes.ts";
import { parseCsr } from "../../lib/data/iamondb/transcriptions.ts";
import {
  normalise,
  offsetStats,
  offsetsToStrokes,
  strokesToOffsets,
} from "../../lib/data/iamondb/offsets.ts";
import { loadIamOnDb, readCache } from "../../lib/data/iamondb/dataset.ts";
import { randomSplit, readSplitList, splitFromLists, splitIam } from "../../lib/data/iamondb/splits.ts";
import { encodeText, losslessCharset, PAPER_CHARSET } from "../../lib/data/iamondb/charset.ts";
import { DataError } from "../../lib/data/errors.ts";
import { displayPath, PROJECT_ROOT } from "../../lib/util/paths.ts";
import { makeTar, realData, strokeXml, transcription } from "../helpers/fixtures.ts";

/** A tiny corpus: form a01-000x with 2 lines, form b02-000y with 2 stroke files but 1 CSR line. */
async function fixtureDir(extra: Record<string, string> = {}) {
  const dir = await Deno.makeTempDir();
  const strokes = {
    "lineStrokes/a01/a01-000/a01-000x-01.xml": strokeXml([[[0, 0], [10, 5], [20, 0]], [[30, 0], [35, 10]]]),
    "lineStrokes/a01/a01-000/a01-000x-02.xml": strokeXml([[[0, 0], [0, 10]]]),
    "lineStrokes/b02/b02-000/b02-000y-01.xml": strokeXml([[[1, 1], [2, 2]]]),
    "lineStrokes/b02/b02-000/b02-000y-02.xml": strokeXml([[[1, 1], [2, 2]]]),
    ...extra,
  };
  const ascii = {
    "ascii/a01/a01-000/a01-000x.txt": transcription(["Hello world.", "line two"]),
    "ascii/b02/b02-000/b02-000y.txt": transcription(["only one line"]),
  };
  Deno.writeFileSync(join(dir, "lineStrokes-all.tar.gz"), await makeTar(strokes));
  Deno.writeFileSync(join(dir, "ascii-all.tar.gz"), await makeTar(ascii));
  return dir;
}

Deno.test("fixture corpus: pairs lines, reports the unpairable form, caches, and reloads identically", async () => {
  const dir = await fixtureDir();
  const cache = await Deno.makeTempDir();
  const cold = await loadIamOnDb({ dir, cache });
  assert.equal(cold.fromCache, false);
  assert.deepEqual(cold.lines.map((l) => [l.id, l.text]), [["a01-000x-01", "Hello world."], [
    "a01-000x-02",
    "line two",
  ]]);
  assert.equal(cold.skipped.length, 1);
  assert.match(cold.skipped[0].reason, /2 stroke files but 1 CSR lines/);
  assert.equal(cold.skipped[0].lines, 2);
  const warm = await loadIamOnDb({ dir, cache });
  assert.equal(warm.fromCache, true);
  assert.deepEqual(warm.lines.map((l) => [...l.points]), cold.lines.map((l) => [...l.points]));
  assert.deepEqual(warm.skipped, cold.skipped);
  // A changed archive changes the key: the cache is rebuilt.
  const dir2 = await fixtureDir({ "lineStrokes/c03/c03-000/c03-000z-01.xml": strokeXml([[[0, 0], [1, 1]]]) });
  Deno.copyFileSync(join(dir2, "lineStrokes-all.tar.gz"), join(dir, "lineStrokes-all.tar.gz"));
  const changed = await loadIamOnDb({ dir, cache });
  assert.equal(changed.fromCache, false);
  assert.notEqual(changed.fingerprint, cold.fingerprint);
});

Deno.test("extracted folders are read like the archives", async () => {
  const dir = await Deno.makeTempDir();
  const write = (p: string, t: string) => {
    Deno.mkdirSync(join(dir, p, ".."), { recursive: true });
    Deno.writeTextFileSync(join(dir, p), t);
  };
  write("lineStrokes/a01/a01-000/a01-000x-01.xml", strokeXml([[[0, 0], [3, 4]]]));
  write("ascii/a01/a01-000/a01-000x.txt", transcription(["hi"]));
  const db = await loadIamOnDb({ dir, cache: await Deno.makeTempDir() });
  assert.deepEqual(db.lines.map((l) => l.text), ["hi"]);
  assert.match(db.source, /extracted folders/);
});

Deno.test("offsets: y-up (Δx, Δy, e) with a null first point; round trip to strokes", () => {
  const strokes = [{ x: [0, 10, 20], y: [0, 5, 0] }, { x: [30, 35], y: [0, 10] }];
  const { offsets, splits } = strokesToOffsets(strokes);
  assert.equal(splits, 0);
  assert.deepEqual([...offsets.points], [0, 0, 0, 10, -5, 0, 10, 5, 1, 10, 0, 0, 5, -10, 1]);
  const back = offsetsToStrokes(offsets.points);
  assert.deepEqual(back, [{ x: [0, 10, 20], y: [0, -5, 0] }, { x: [30, 35], y: [0, -10] }]);
});

Deno.test("offsets: an implausible pen-down jump splits the stroke and is counted", () => {
  const { offsets, splits } = strokesToOffsets([{ x: [0, 1, 1000, 1001], y: [0, 0, 0, 0] }], 400);
  assert.equal(splits, 1);
  assert.deepEqual([...offsets.points].filter((_, i) => i % 3 === 2), [0, 1, 0, 1]);
});

Deno.test("normalisation statistics come from the lines given (the training split) only", () => {
  const line = (dx: number[]) => {
    const p = new Float32Array(3 * (dx.length + 1));
    dx.forEach((v, i) => (p[3 * (i + 1)] = v));
    return { points: p, n: dx.length + 1 };
  };
  const train = [line([1, 3]), line([5])], valid = [line([100, 200])];
  const s = offsetStats(train);
  assert.equal(s.count, 3);
  assert.ok(Math.abs(s.mean[0] - 3) < 1e-12);
  assert.ok(Math.abs(s.std[0] - Math.sqrt(8 / 3)) < 1e-12);
  const v = normalise(valid[0], s);
  assert.equal(v[0], 0); // the null first point stays null
  assert.ok(Math.abs(v[3] - (100 - 3) / Math.sqrt(8 / 3)) < 1e-4);
});

Deno.test("bad input: each case names the file (and line) and says what is wrong", async () => {
  const noY = `<StrokeSet>\n<Stroke>\n<Point x="1" y="2"/>\n<Point x="3"/>\n</Stroke>\n</StrokeSet>`;
  assert.throws(
    () => parseStrokeSet(noY, "a.xml"),
    (e: unknown) => e instanceof DataError && e.message === "a.xml:4: <Point> has no y attribute",
  );
  // a malformed number is an error naming file, line and attribute, never a NaN
  for (const bad of [".", "1.2.3", "", "1e", "0x10", "NaN", "Infinity"]) {
    const xml =
      `<StrokeSet>\n<Stroke>\n<Point x="1" y="2"/>\n<Point x="3" y="${bad}"/>\n</Stroke>\n</StrokeSet>`;
    assert.throws(
      () => parseStrokeSet(xml, "m.xml"),
      (e: unknown) =>
        e instanceof DataError && e.message === `m.xml:4: <Point> attribute y="${bad}" is not a number`,
      bad,
    );
  }
  assert.deepEqual(
    parseStrokeSet(
      `<StrokeSet>\n<Stroke>\n<Point x="-1.5" y="2e1"/>\n<Point x=".5" y="3."/>\n</Stroke>\n</StrokeSet>`,
      "ok.xml",
    ),
    [{ x: [-1.5, 0.5], y: [20, 3] }],
  );
  assert.throws(
    () => parseStrokeSet(`<StrokeSet>\n<Stroke>\n</Stroke>\n</StrokeSet>`, "b.xml"),
    /b\.xml:2: stroke has no points/,
  );
  assert.throws(
    () => parseStrokeSet(`<StrokeSet>\n<Stroke>\n<Point x="1" y="2"/>`, "c.xml"),
    /c\.xml:2: file ends inside a <Stroke>/,
  );
  assert.throws(() => parseStrokeSet(`<html></html>`, "d.xml"), /d\.xml: no <StrokeSet> element/);
  assert.throws(() => parseCsr("OCR:\nfoo\n", "e.txt"), /e\.txt: no CSR: section/);
  // Truncated archive.
  const gz = await makeTar({
    "lineStrokes/a01/a01-000/a01-000x-01.xml": strokeXml([[[0, 0], [1, 1]]]).repeat(50),
  }, false);
  const path = join(await Deno.makeTempDir(), "lineStrokes-all.tar");
  Deno.writeFileSync(path, gz.subarray(0, 700));
  await assert.rejects(async () => {
    for await (const _ of readTar(path)) { /* drain */ }
  }, /lineStrokes-all\.tar: truncated entry lineStrokes\/a01\/a01-000\/a01-000x-01\.xml/);
  // A malformed file inside the corpus is skipped, counted, and named.
  const dir = await fixtureDir({ "lineStrokes/a01/a01-000/a01-000x-02.xml": noY });
  const db = await loadIamOnDb({ dir, cache: await Deno.makeTempDir() });
  const bad = db.skipped.find((s) => s.file.endsWith("a01-000x-02.xml"));
  assert.ok(bad, "malformed file not reported");
  assert.match(bad.reason, /a01-000x-02\.xml:4: <Point> has no y attribute/);
  // Characters outside the encoding: reported, or mapped when asked.
  assert.throws(
    () => encodeText("café\there", PAPER_CHARSET),
    /characters outside the paper encoding: "é" "\\t"/,
  );
  assert.deepEqual([...encodeText("a\tb", PAPER_CHARSET, () => PAPER_CHARSET.classOf(" "))], [0, 52, 1]);
  // Missing split entries are reported with list file and line; a bad entry is an error.
  const sdir = await Deno.makeTempDir();
  Deno.writeTextFileSync(
    join(sdir, "training_set.txt"),
    "lineStrokes/a01/a01-000/a01-000x-01.xml\nlineStrokes/q01/q01-000/q01-000q-01.xml\n",
  );
  Deno.writeTextFileSync(join(sdir, "validation_set.txt"), "lineStrokes/a01/a01-000/a01-000x-02.xml\n");
  const lines = [{ id: "a01-000x-01", text: "a", points: new Float32Array(3), n: 1 }, {
    id: "a01-000x-02",
    text: "b",
    points: new Float32Array(3),
    n: 1,
  }];
  const sp = splitFromLists(lines, sdir);
  assert.deepEqual(sp.missing.map((m) => [m.id, m.line]), [["q01-000q-01", 2]]);
  // The record names the lists by where they are in the dataset folder, not by this machine's path.
  const before = Deno.env.get("GRAVES_DATA");
  Deno.env.set("GRAVES_DATA", join(sdir, ".."));
  try {
    assert.equal(splitFromLists(lines, sdir).how, `lists in <data>/${basename(sdir)}`);
    Deno.env.set("GRAVES_DATA", await Deno.makeTempDir()); // a data folder that does not hold the project
    assert.equal(displayPath(join(PROJECT_ROOT, "results", "x.json")), join("results", "x.json"));
  } finally {
    if (before === undefined) Deno.env.delete("GRAVES_DATA");
    else Deno.env.set("GRAVES_DATA", before);
  }
  Deno.writeTextFileSync(join(sdir, "validation_set.txt"), "\nnot a path\n");
  assert.throws(
    () => readSplitList(join(sdir, "validation_set.txt")),
    /validation_set\.txt:2: not a lineStrokes file path/,
  );
});

Deno.test("charsets: the paper's 57 classes and a lossless one", () => {
  assert.equal(PAPER_CHARSET.size, 57);
  const codes = encodeText("Hi, 42!", PAPER_CHARSET);
  assert.deepEqual([...codes].map((c) => PAPER_CHARSET.symbols[c]).join(""), "Hi, ···");
  const l = losslessCharset(["Hi, 42!"]);
  assert.equal(l.size, 7);
  assert.deepEqual([...encodeText("42!", l)].map((c) => l.symbols[c]).join(""), "42!");
});

Deno.test("the cache checks itself: a damaged or truncated cache is said and rebuilt, never used", async () => {
  const dir = await fixtureDir();
  const cache = await Deno.makeTempDir();
  const cold = await loadIamOnDb({ dir, cache });
  const file = join(cache, [...Deno.readDirSync(cache)].find((e) => e.name.endsWith(".bin"))!.name);
  const bytes = Deno.readFileSync(file);
  assert.doesNotThrow(() => readCache(file));
  const flipped = bytes.slice();
  flipped[flipped.length - 3] ^= 0x40; // one point changed, same length
  Deno.writeFileSync(file, flipped);
  assert.throws(() => readCache(file), /damaged cache: its points fail their MD5/);
  Deno.writeFileSync(file, bytes.subarray(0, bytes.length - 8));
  assert.throws(() => readCache(file), /damaged cache: \d+ bytes of points, its header says \d+/);
  const warned: string[] = [], warn = console.warn;
  console.warn = (s: string) => warned.push(s);
  try {
    const again = await loadIamOnDb({ dir, cache });
    assert.equal(again.fromCache, false, "rebuilt from the sources");
    assert.deepEqual(again.lines.map((l) => [...l.points]), cold.lines.map((l) => [...l.points]));
  } finally {
    console.warn = warn;
  }
  assert.match(warned[0], /damaged cache.*rebuilding it from the sources/);
});

Deno.test("split: a missing list is an error naming it, unless a random split is asked for (and then said)", () => {
  const lines = Array.from(
    { length: 20 },
    (_, i) => ({ id: `x${i}`, text: "", points: new Float32Array(3), n: 1 }),
  );
  const dir = Deno.makeTempDirSync();
  assert.throws(
    () => splitIam(lines, dir, 1, "lists"),
    /training_set\.txt: missing: .*GRAVES_IAM_SPLIT=random/,
  );
  assert.match(splitIam(lines, dir, 1, "random").how, /^random, seed 1/);
});

Deno.test("random split is seeded and disjoint", () => {
  const lines = Array.from(
    { length: 50 },
    (_, i) => ({ id: `x${i}`, text: "", points: new Float32Array(3), n: 1 }),
  );
  const a = randomSplit(lines, 7, 10), b = randomSplit(lines, 7, 10);
  assert.deepEqual(a.valid.map((l) => l.id), b.valid.map((l) => l.id));
  assert.equal(a.valid.length, 10);
  assert.equal(new Set([...a.train, ...a.valid].map((l) => l.id)).size, 50);
});

Deno.test("real IAM-OnDB: 12,178 paired lines, a08-551z and z01-000z reported, paper-sized validation set", async () => {
  const root = realData("iamondb/lineStrokes-all.tar.gz");
  if (!root) return;
  const db = await loadIamOnDb({ dir: join(root, "iamondb") });
  assert.equal(db.lines.length, 12_178);
  assert.deepEqual(db.skipped.map((s) => [s.file, s.lines]), [
    ["ascii/a08/a08-551/a08-551z.txt", 9],
    ["ascii/z01/z01-000/z01-000z.txt", 8],
  ]);
  const split = splitIam(db.lines, join(root, "iamondb", "splits"));
  assert.equal(split.valid.length, 1438);
  assert.equal(split.train.length, 10_740);
  assert.ok(split.missing.every((m) => m.id.startsWith("a08-551z")));
  const valid = new Set(split.valid.map((l) => l.id));
  assert.ok(split.train.every((l) => !valid.has(l.id)));
  const s = offsetStats(split.train);
  assert.ok(s.std[0] > 0 && s.std[1] > 0 && s.count > 6_000_000);
});
