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

/** Throws when `text` is longer than `LABEL_MAX`, naming what it labels. */
export function assertLabel(text: string | undefined, what: string): void {
  if (text !== undefined && text.length > LABEL_MAX) {
    throw new Error(`${what} is ${text.length} characters (at most ${LABEL_MAX}): "${text.slice(0, 60)}…"`);
  }
}
