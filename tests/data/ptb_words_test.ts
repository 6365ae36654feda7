import assert from "node:assert/strict";
import { join } from "node:path";
import { decodeWords, encodeWords, EOS, loadPtbWords, ptbWordTokens } from "../../lib/data/ptb_words.ts";
import { vocabulary } from "../../lib/data/ptb.ts";
import { DataError } from "../../lib/data/errors.ts";
import { realData } from "../helpers/fixtures.ts";

Deno.test("PTB words: Mikolov's 10,000 types and split sizes, sentence ends as <eos>, codes round-trip", () => {
  const root = realData("ptb");
  if (!root) return;
  const w = loadPtbWords(join(root, "ptb"));
  assert.equal(w.vocab.size, 10_000);
  assert.deepEqual([w.train.length, w.valid.length, w.test.length], [929_589, 73_760, 82_430]);
  assert.ok(w.vocab.index.has("<unk>") && w.vocab.index.has(EOS));
  const first = Deno.readTextFileSync(join(root, "ptb", "ptb.valid.txt")).split("\n").slice(0, 3);
  const n = first.map((l) => l.trim().split(" ").length + 1).reduce((a, b) => a + b, 0);
  assert.equal(decodeWords(w.valid.subarray(0, n), w.vocab), first.map((l) => l.trim()).join("\n") + "\n");
});

Deno.test("PTB words on a fixture: reserved <eos>, empty sentences and unknown words are errors naming file and line", () => {
  assert.deepEqual(ptbWordTokens(" a b \n c \n"), ["a", "b", EOS, "c", EOS]);
  assert.throws(
    () => ptbWordTokens(" a \n\n b \n", "f.txt"),
    (e) => e instanceof DataError && /f\.txt:2/.test(e.message),
  );
  assert.throws(() => ptbWordTokens(" a <eos> \n", "f.txt"), /reserved/);
  const v = vocabulary(ptbWordTokens(" a b \n"));
  assert.throws(() => encodeWords(["a", "zebra"], v, "g.txt"), /g\.txt.*"zebra"/);
});
