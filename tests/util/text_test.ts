/** lib/util/text.ts: labels are clipped to fit and say when a run was shortened. */
import assert from "node:assert/strict";
import { clip, LABEL_MAX, shortenedLabel } from "../../lib/util/text.ts";

Deno.test("shortenedLabel: says 'shortened' below the paper's epochs, and only there", () => {
  assert.equal(
    shortenedLabel("one network · 5.17 epochs", 5.17, 11),
    "one network · 5.17 epochs; shortened (paper: 11 epochs)",
  );
  assert.equal(shortenedLabel("one network · 11 epochs", 11, 11), "one network · 11 epochs");
  assert.equal(shortenedLabel("one network · 12 epochs", 12, 11), "one network · 12 epochs");
});

Deno.test("clip: a label longer than LABEL_MAX ends in … at exactly LABEL_MAX characters", () => {
  assert.equal(clip("short"), "short");
  const long = clip("x".repeat(LABEL_MAX + 30));
  assert.equal(long.length, LABEL_MAX);
  assert.ok(long.endsWith("…"));
});
