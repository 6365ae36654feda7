/**
 * lib/experiments/writer.ts (issue #57): the writer's 76 classes keep the paper's 57 in place and
 * give digits and common marks their own; widening the shipped paper network copies the
 * non-letter class's input weights into each new class, so before any fine-tuning the writer
 * scores a line with digits exactly as the paper's network does.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "../../lib/tf.ts";
import { useProjectBackend } from "../helpers/tf.ts";
import { wavyLines } from "../helpers/train.ts";
import { encodeText, PAPER_CHARSET, PEOPLE_CHARSET } from "../../lib/data/iamondb/charset.ts";
import { loadCheckpoint } from "../../lib/runs/checkpoint.ts";
import { tensorsWithPrefix } from "../../lib/nn/params.ts";
import { evaluateSynthesis } from "../../lib/eval/evaluate.ts";
import { widenToPeople, WRITER_MODEL } from "../../lib/experiments/writer.ts";
import type { SynthesisConfig } from "../../lib/models/synthesis.ts";
import { PROJECT_ROOT } from "../../lib/util/paths.ts";

await useProjectBackend();

Deno.test("PEOPLE_CHARSET: the paper's 57 classes in place, digits and marks their own, rare marks non-letter", () => {
  assert.equal(PEOPLE_CHARSET.size, 76);
  assert.deepEqual(PEOPLE_CHARSET.symbols.slice(0, 57), PAPER_CHARSET.symbols);
  const other = PAPER_CHARSET.symbols.indexOf("·");
  for (const ch of "0123456789'-?!:;()#") assert.ok(PEOPLE_CHARSET.classOf(ch)! > other, ch);
  for (const ch of "+/[]&@") assert.equal(PEOPLE_CHARSET.classOf(ch), other, ch);
  assert.equal(PEOPLE_CHARSET.classOf("é"), undefined);
  assert.deepEqual([...encodeText("a1", PAPER_CHARSET)], [0, other]);
});

Deno.test("widened, the shipped synthesis network scores a line with digits exactly as before (new columns from ·)", async () => {
  const ck = await loadCheckpoint(join(PROJECT_ROOT, "results", "checkpoints", "synthesis"));
  const wide = widenToPeople(ck.tensors, ck.meta);
  assert.deepEqual(wide.tensors["param/lstm1.Ww"].shape, [76, 1600]);
  assert.deepEqual(wide.tensors["param/lstm2.Wx"].shape, [3 + 400 + 76, 1600]);
  assert.equal((wide.meta.data as { charset: { name: string } }).charset.name, "people");
  const text = "Call 020 7946 0815 at 3:45 (or 10:30)";
  const [line] = wavyLines(1, 300);
  const paper = evaluateSynthesis(
    tensorsWithPrefix(ck.tensors, "param/"),
    (ck.meta.profile as { model: SynthesisConfig }).model,
    [{ ...line, codes: encodeText(text, PAPER_CHARSET) }],
  );
  const writer = evaluateSynthesis(
    tensorsWithPrefix(wide.tensors, "param/"),
    WRITER_MODEL,
    [{ ...line, codes: encodeText(text, PEOPLE_CHARSET) }],
  );
  assert.ok(Number.isFinite(paper.natsPerSequence));
  assert.ok(
    Math.abs(writer.natsPerSequence - paper.natsPerSequence) < 1e-3,
    `${writer.natsPerSequence} vs ${paper.natsPerSequence}`,
  );
  tf.dispose([...new Set([...Object.values(ck.tensors), ...Object.values(wide.tensors)])]);
  assert.throws(
    () => widenToPeople({}, { ...wide.meta }),
    /widens a network of the paper's 57 classes; this one has people/,
  );
});

Deno.test("writer paper-digits: lines with digits appear six times an epoch, the others once", async () => {
  const { oversampledLines } = await import("../../lib/experiments/handwriting.ts");
  const { WRITER_PROFILES } = await import("../../lib/experiments/writer.ts");
  const line = (n: number) => ({ points: new Float32Array(3 * n), n });
  const train = [line(1), line(2), line(3)];
  const data = {
    train,
    split: { train: [{ text: "meet at 10" }, { text: "no digits" }, { text: "room 4" }] },
  };
  const o = WRITER_PROFILES["paper-digits"].oversample;
  const out = oversampledLines(data, o);
  assert.equal(out.length, 3 + 2 * 5);
  assert.equal(out.filter((l) => l === train[0]).length, 6);
  assert.equal(out.filter((l) => l === train[1]).length, 1);
  assert.equal(oversampledLines(data, undefined), train, "no setting: the lines as they are");
  assert.equal(WRITER_PROFILES.paper.oversample, undefined, "the plain profile does not oversample");
});
