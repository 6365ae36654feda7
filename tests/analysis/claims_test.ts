import assert from "node:assert/strict";
import { headings, urls, wikipediaClaims, words } from "../../lib/analysis/claims.ts";

Deno.test("claims: words known and invented, headings, URLs, quotes, tags, non-ASCII, on a fixture", () => {
  const text = [
    "<page>",
    "  <title>Zorblat</title>",
    "== History ==",
    "=== Early ===",
    "== Broken ===",
    "The zorblat is a &quot;grand&quot; [[city]] (see [[town]]) in {{country}}. Über.",
    "Visit http://www.example.org/x and http://bad_host/ and &quot;odd.",
    '<text xml:space="preserve">x</text> <b ',
    "</page>",
  ].join("\n");
  assert.deepEqual(words("The zorblat's CITY"), ["the", "zorblat", "s", "city"]);
  assert.deepEqual(headings(text), { opened: 3, closed: 2 });
  assert.deepEqual(urls(text), { all: 2, parse: 1 });
  const vocab = new Set([
    "the",
    "is",
    "a",
    "grand",
    "city",
    "see",
    "town",
    "in",
    "country",
    "visit",
    "and",
    "history",
  ]);
  const c = new Map(wikipediaClaims(text, vocab).map((x) => [x.measure, x.value]));
  assert.equal(c.get("distinct words not in the training text"), new Set(words(text)).size - 12);
  assert.equal(c.get("lines with &quot; marks"), 2);
  assert.equal(c.get("of those, even counts (share)"), 0.5);
  assert.equal(c.get("[[ ]] opened"), 2);
  assert.equal(c.get("[[ ]] closed (share of opened)"), 1);
  assert.equal(c.get("closed with as many = (share)"), 2 / 3);
  assert.ok((c.get("well-formed tags (share)") ?? 0) < 1, "the cut-off <b is not well formed");
  assert.ok((c.get("non-ASCII characters per 1,000") ?? 0) > 0, "Ü");
});
