/**
 * The length limit on labels: figure titles and captions, table cells and
 * sample headers carry at most `LABEL_MAX` characters; a run's whole history
 * lives in its `metrics.json` instead.
 * @module
 */

/** The longest label a caption, title, table cell or sample header carries. */
export const LABEL_MAX = 120;

/** `text` itself when it fits in `max` characters, else cut to fit with "…". */
export function clip(text: string, max = LABEL_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `label`, saying "shortened" when the run trained fewer epochs than the paper's. */
export function shortenedLabel(label: string, epochs: number, paperEpochs: number): string {
  return epochs < paperEpochs ? `${label}; shortened (paper: ${paperEpochs} epochs)` : label;
}

/** Throws when `text` is longer than `LABEL_MAX`, naming what it labels. */
export function assertLabel(text: string | undefined, what: string): void {
  if (text !== undefined && text.length > LABEL_MAX) {
    throw new Error(`${what} is ${text.length} characters (at most ${LABEL_MAX}): "${text.slice(0, 60)}…"`);
  }
}

/**
 * `text` as lines of at most `width` characters, broken at spaces (a word
 * longer than `width` stands alone on its line); runs of spaces collapse.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Throws unless `text` (from `source`, a file name or "the text") is text a
 * person wrote to be written out: not empty or only spaces, and not binary
 * (a NUL byte, or more than 1% control characters other than tab, line and
 * page breaks). The message names the first offending byte's offset and
 * never echoes control bytes to the terminal.
 */
export function assertWritableText(text: string, source: string): void {
  if (!text.trim()) throw new Error(`${source}: ${text ? "only spaces" : "empty"}: nothing to write`);
  let control = 0, first = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 127 || c === 0xfffd) {
      control++;
      if (first < 0) first = i;
    }
  }
  if (text.includes("\0") || control > 0.01 * text.length) {
    throw new Error(
      `${source}: not text (${control} control or undecodable characters of ${text.length}, the first at offset ${first})`,
    );
  }
}
