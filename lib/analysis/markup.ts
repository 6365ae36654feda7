/**
 * How well a stretch of Wikipedia markup balances its brackets, quotes and
 * XML tags — the long-range structure section 3.2 says the network learns
 * ("it can balance brackets and quotes over long distances"). Counted the
 * same way on real validation text and on samples, so the two can be set
 * side by side.
 * @module
 */

/** Opening and closing marks counted by `markupBalance` (wiki links, templates, tables, parentheses, XML). */
export const MARKUP_PAIRS: readonly (readonly [string, string])[] = [
  ["[[", "]]"],
  ["{{", "}}"],
  ["{|", "|}"],
  ["(", ")"],
];

/** Balance of one kind of mark over a text. */
export interface Balance {
  /** e.g. "[[ ]]" or "<tag> </tag>". */
  pair: string;
  opened: number;
  /** Closings that matched an opening. */
  closed: number;
  /** Closings with nothing open. */
  strayClosings: number;
  /** Openings never closed (still open at the end, or skipped over by a closing tag further out). */
  leftOpen: number;
  /** Deepest nesting seen. */
  maxDepth: number;
  /** closed / opened (1 when nothing was opened). */
  matchedShare: number;
}

const finish = (pair: string, opened: number, closed: number, stray: number, depth: number, max: number) => ({
  pair,
  opened,
  closed,
  strayClosings: stray,
  leftOpen: depth,
  maxDepth: max,
  matchedShare: opened ? closed / opened : 1,
});

/**
 * Balance of each of `MARKUP_PAIRS` and of XML tags, matched by name; the
 * article text's escaped tags (`&lt;ref&gt;`) count as tags, `<x/>`,
 * `<!...>` and `<?...>` are skipped.
 */
export function markupBalance(text: string): Balance[] {
  const out: Balance[] = [];
  for (const [open, close] of MARKUP_PAIRS) {
    let depth = 0, max = 0, opened = 0, closed = 0, stray = 0;
    for (let i = 0; i < text.length;) {
      if (text.startsWith(open, i)) {
        depth++, opened++, max = Math.max(max, depth), i += open.length;
      } else if (text.startsWith(close, i)) {
        if (depth > 0) depth--, closed++;
        else stray++;
        i += close.length;
      } else i++;
    }
    out.push(finish(`${open} ${close}`, opened, closed, stray, depth, max));
  }
  const stack: string[] = [];
  let opened = 0, closed = 0, stray = 0, max = 0, skipped = 0;
  const tags = text.replaceAll("&lt;", "<").replaceAll("&gt;", ">");
  for (const m of tags.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^<>]*?(\/?)>/g)) {
    const [, slash, name, selfClosing] = m;
    if (selfClosing) continue;
    if (!slash) {
      stack.push(name), opened++, max = Math.max(max, stack.length);
      continue;
    }
    const at = stack.lastIndexOf(name);
    if (at < 0) stray++;
    else skipped += stack.length - at - 1, stack.length = at, closed++; // closes it, and skips what is open inside
  }
  out.push(finish("<tag> </tag>", opened, closed, stray, stack.length + skipped, max));
  return out;
}
