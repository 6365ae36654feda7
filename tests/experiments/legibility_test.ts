/**
 * The digits measure of `deno task bench --digits`: digits read in order
 * (a longest common subsequence), and the instrument itself — Tesseract
 * reads a Hershey line of digits (a drawing nobody trained on) nearly whole,
 * so a low score for a network is the network's.
 */
import assert from "node:assert/strict";
import { DIGIT_LINES, digitsInOrder } from "../../lib/experiments/legibility.ts";
import { tesseractRead } from "../../lib/experiments/own_hand.ts";
import { HERSHEY_DIR, hersheyLine, loadHershey } from "../../lib/data/hershey.ts";
import { exists } from "../../lib/util/paths.ts";

const ready = exists(`${HERSHEY_DIR}/futural.jhf`) && exists("/usr/bin/tesseract");

Deno.test("legibility: digits in order count a subsequence, not a set", () => {
  assert.equal(digitsInOrder("Call 020 7946 0815 at 3:45", "Call 020 7946 0815 at 3:45"), 1);
  assert.equal(digitsInOrder("Call 020 7946", "Call 020 7946 0815 at 3:45"), 7 / 14);
  assert.equal(
    digitsInOrder("54:3 5180 6497 020", "Call 020 7946 0815 at 3:45") < 0.5,
    true,
    "reversed: out of order",
  );
  assert.equal(digitsInOrder("anything", "no digits here"), 1);
  assert.equal(digitsInOrder("Meet me at! 2 hoon 073 -u", "Meet me at 10:30 on 6/12"), 2 / 7);
});

Deno.test({
  name:
    "legibility: Tesseract reads the digit lines drawn in a Hershey face mostly in order (the instrument works)",
  ignore: !ready,
  async fn() {
    // measured: futural 0.925, timesr 0.829, scripts 0.795 (0 read as O, 7 as /): the instrument's ceiling
    let sum = 0;
    for (const text of DIGIT_LINES) {
      sum += digitsInOrder(await tesseractRead(hersheyLine(loadHershey("futural"), text)), text);
    }
    assert.ok(sum / DIGIT_LINES.length >= 0.8, `futural: ${sum / DIGIT_LINES.length}`);
  },
});
