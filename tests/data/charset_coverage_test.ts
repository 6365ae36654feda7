/** Writers say which characters their network marks with its one non-letter class, and which it lacks. */
import assert from "node:assert/strict";
import {
  charsetCoverage,
  coverageNote,
  PAPER_CHARSET,
  PEOPLE_CHARSET,
} from "../../lib/data/iamondb/charset.ts";

Deno.test("charset coverage: the paper's network marks digits and rare marks; the people's writer only the rarest", () => {
  const text = "Call 020 7946 0815 at 3:45 (or €5 & more)";
  assert.deepEqual(charsetCoverage(text, PAPER_CHARSET), {
    marked: ["0", "2", "7", "9", "4", "6", "8", "1", "5", "3", ":", "(", "&", ")"],
    missing: ["€"],
  });
  assert.deepEqual(charsetCoverage(text, PEOPLE_CHARSET), { marked: ["&"], missing: ["€"] });
  assert.match(
    coverageNote("at 3:45", PAPER_CHARSET),
    /^the paper's network \(57 classes\) writes 3 : 4 5 as its one mark/,
  );
  assert.match(
    coverageNote("on 6/12", PEOPLE_CHARSET),
    /^the writer \(76 classes\) writes \/ as its one mark/,
  );
  assert.equal(coverageNote("hello, world", PAPER_CHARSET), "", "nothing to say");
});
