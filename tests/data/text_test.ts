/** PTB derivation and vocabulary, enwik8 splits, and stream batching. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decodePtb, encode, loadPtb, ptbCharText, ptbTokens, vocabulary } from "../../lib/data/ptb.ts";
import { enwik8Bounds, loadEnwik8 } from "../../lib/data/enwik8.ts";
import { StreamBatcher } from "../../lib/data/streams.ts";
import { DataError } from "../../lib/data/errors.ts";
import { realData } from "../helpers/fixtures.ts";

Deno.test("PTB: the character-level derivation reproduces Mikolov's files byte for byte", () => {
  const root = realData("ptb");
  if (!root) return;
  for (const s of ["valid", "test"]) {
    const derived = ptbCharText(Deno.readTextFileSync(join(root, "ptb", `ptb.${s}.txt`)));
    const mikolov = Deno.readTextFileSync(join(root, "ptb", `ptb.char.${s}.txt`));
    assert.equal(derived.length, mikolov.length, s);
    assert.ok(derived === mikolov, `ptb.char.${s}.txt differs`);
  }
});

Deno.test("PTB: 49 symbols as in the paper, valid/test inside the training vocabulary", () => {
  const root = realData("ptb");
  if (!root) return;
  const p = loadPtb(join(root, "ptb"));
  assert.equal(p.vocab.size, 49);
  assert.ok(p.vocab.index.has("<unk>") && p.vocab.index.has("_") && p.vocab.index.has("\n"));
  assert.equal(p.train.length, 4_837_402);
  assert.match(decodePtb(p.valid.subarray(0, 30), p.vocab), /^consumers may want to move/);
});

Deno.test("PTB tokens on a fixture; unknown symbols and empty sentences are errors naming the file", () => {
  const toks = ptbTokens(" a <unk> b \n c \n");
  assert.deepEqual(toks, ["a", "_", "<unk>", "_", "b", "\n", "c", "\n"]);
  assert.equal(ptbCharText(" a <unk> bc \n"), "a _ <unk> _ b c \n");
  const v = vocabulary(toks);
  assert.throws(
    () => encode(["a", "z"], v, "ptb.test.txt"),
    /ptb\.test\.txt: symbol "z" \(token 1\) is not in the training vocabulary/,
  );
  assert.throws(
    () => ptbTokens(" a \n\n", "ptb.valid.txt"),
    (e: unknown) => e instanceof DataError && e.message === "ptb.valid.txt:2: empty sentence",
  );
});

Deno.test("enwik8: the paper's 96/4 split, scaled to a prefix and labelled as one", () => {
  assert.deepEqual(enwik8Bounds(100_000_000, "paper"), [96_000_000, 100_000_000]);
  assert.deepEqual(enwik8Bounds(100_000_000, "90/5/5"), [90_000_000, 95_000_000, 100_000_000]);
  const root = realData("enwik8");
  if (!root) return;
  Deno.env.set("GRAVES_DATA", root);
  const e = loadEnwik8();
  assert.equal(e.dataBytes, 4_154_399);
  assert.equal(e.train.length + e.valid.length, e.dataBytes);
  assert.equal(e.train.length, Math.round(0.96 * 4_154_399));
  assert.ok(e.isPrefix);
  assert.match(e.caveat, /PREFIX of 4,154,399 bytes.*NOT comparable/);
  const f = loadEnwik8({ split: "90/5/5" });
  assert.equal(f.train.length + f.valid.length + f.test!.length, f.dataBytes);
});

Deno.test("enwik8: symbols are the bytes that occur; codes round-trip", async () => {
  const dir = await Deno.makeTempDir();
  const bytes = new TextEncoder().encode("<page>[[Link]] {{x}} é</page>".repeat(10));
  Deno.writeFileSync(join(dir, "enwik8"), bytes);
  const e = loadEnwik8({ path: join(dir, "enwik8") });
  assert.equal(e.size, new Set(bytes).size);
  const back = Uint8Array.from([...e.train, ...e.valid], (c) => e.bytes[c]);
  assert.deepEqual(back, bytes);
  assert.match(e.caveat, /PREFIX/);
});

Deno.test("stream batching: parallel streams continue across segments; targets are the next symbol", () => {
  const codes = Uint8Array.from({ length: 103 }, (_, i) => i);
  const s = new StreamBatcher(codes, 4, 5); // 4 streams of 25 symbols, 4 segments of 5 steps
  assert.equal(s.streamLength, 25);
  assert.equal(s.dropped, 3);
  assert.equal(s.segments, 4);
  const segs = [...s.epoch()];
  for (let b = 0; b < 4; b++) {
    const stream = segs.flatMap((g) => [...g.inputs.subarray(b * 5, b * 5 + 5)]);
    assert.deepEqual(stream, Array.from({ length: 20 }, (_, i) => b * 25 + i));
    for (const g of segs) {
      for (let t = 0; t < 5; t++) assert.equal(g.targets[b * 5 + t], g.inputs[b * 5 + t] + 1);
    }
  }
  assert.throws(() => new StreamBatcher(codes, 50, 5), /too short/);
});
