/**
 * Section 3.2's claims about Wikipedia samples as numbers, measured the same
 * way on generated and on real text: how many words are real (in the training
 * text) or invented, whether quotes, brackets, links, templates and headings
 * close, whether XML tags are well formed and nested, whether web addresses
 * parse, and how much non-ASCII text there is.
 * @module
 */
import { markupBalance } from "./markup.ts";

/** One measured claim. */
export interface Claim {
  claim: string;
  measure: string;
  value: number;
}

/** The words of a text (letters only, lower case), for the vocabulary measures. */
export function words(text: string): string[] {
  return (text.match(/[A-Za-z]+/g) ?? []).map((w) => w.toLowerCase());
}

const share = (a: number, b: number) => (b ? a / b : 1);

/** Web addresses (http:// up to a space, bracket, pipe or tag) and whether each parses with a dotted host name. */
export function urls(text: string): { all: number; parse: number } {
  const found = text.match(/https?:\/\/[^\s\]|<>"{}]+/g) ?? [];
  const parse = found.filter((u) => {
    try {
      const h = new URL(u).hostname;
      return /^([a-z0-9-]+\.)+[a-z]{2,}$/i.test(h);
    } catch {
      return false;
    }
  }).length;
  return { all: found.length, parse };
}

/** `== … ==` headings: lines that open one, and those whose closing run of `=` matches the opening. */
export function headings(text: string): { opened: number; closed: number } {
  const lines = text.split("\n").filter((l) => /^==/.test(l));
  const closed = lines.filter((l) => {
    const m = l.trimEnd().match(/^(=+)[^=].*?(=+)$/);
    return m !== null && m[1].length === m[2].length;
  }).length;
  return { opened: lines.length, closed };
}

/**
 * Every measure for `text`; `vocabulary`: the training text's words. Shares
 * are in [0, 1]; "per 1,000" counts are per thousand characters.
 */
export function wikipediaClaims(text: string, vocabulary: Set<string>): Claim[] {
  const ws = words(text), known = ws.filter((w) => vocabulary.has(w)).length;
  const distinct = new Set(ws), invented = [...distinct].filter((w) => !vocabulary.has(w));
  const balance = new Map(markupBalance(text).map((b) => [b.pair, b]));
  const pair = (p: string, claim: string): Claim[] => {
    const b = balance.get(p)!;
    return [
      { claim, measure: `${p} opened`, value: b.opened },
      { claim, measure: `${p} closed (share of opened)`, value: b.matchedShare },
      { claim, measure: `${p} closings with nothing open`, value: b.strayClosings },
    ];
  };
  const quoteLines = text.split("\n").filter((l) => l.includes("&quot;"));
  const evenQuotes = quoteLines.filter((l) => (l.match(/&quot;/g) ?? []).length % 2 === 0).length;
  const rawTags = text.match(/<[^<>\n]{0,200}>?/g) ?? [];
  const wellFormed =
    rawTags.filter((t) => /^<\/?[A-Za-z][\w:-]*(\s+[\w:-]+="[^"]*")*\s*\/?>$/.test(t)).length;
  const h = headings(text), u = urls(text);
  const nonAscii = [...text].filter((c) => c.codePointAt(0)! > 127).length;
  return [
    { claim: "a large vocabulary", measure: "words", value: ws.length },
    {
      claim: "a large vocabulary",
      measure: "words found in the training text (share)",
      value: share(known, ws.length),
    },
    {
      claim: "invents plausible words",
      measure: "distinct words not in the training text",
      value: invented.length,
    },
    {
      claim: "invents plausible words",
      measure: "distinct words not in the training text (share)",
      value: share(invented.length, distinct.size),
    },
    { claim: "opens and closes quotes", measure: "lines with &quot; marks", value: quoteLines.length },
    {
      claim: "opens and closes quotes",
      measure: "of those, even counts (share)",
      value: share(evenQuotes, quoteLines.length),
    },
    ...pair("( )", "parentheses"),
    ...pair("[[ ]]", "[[links]]"),
    ...pair("{{ }}", "{{templates}}"),
    { claim: "== headings ==", measure: "heading lines", value: h.opened },
    { claim: "== headings ==", measure: "closed with as many = (share)", value: share(h.closed, h.opened) },
    { claim: "XML structure", measure: "tags", value: rawTags.length },
    { claim: "XML structure", measure: "well-formed tags (share)", value: share(wellFormed, rawTags.length) },
    ...pair("<tag> </tag>", "XML structure").slice(1),
    { claim: "web addresses", measure: "http:// addresses", value: u.all },
    {
      claim: "web addresses",
      measure: "parse as URLs with a dotted host (share)",
      value: share(u.parse, u.all),
    },
    {
      claim: "non-English characters",
      measure: "non-ASCII characters per 1,000",
      value: (1000 * nonAscii) / Math.max(1, text.length),
    },
  ];
}
