/**
 * Errors about input data: they name the file (and line, where there is one)
 * and say what is wrong, e.g.
 * `lineStrokes/a01/a01-000/a01-000u-01.xml:12: <Point> has no y attribute`.
 * @module
 */

/** A problem with a data file, located as precisely as the format allows. */
export class DataError extends Error {
  /** The file (path inside its archive or folder). */
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** What is wrong, without the location. */
  readonly reason: string;

  constructor(file: string, reason: string, line?: number) {
    super(`${file}${line !== undefined ? `:${line}` : ""}: ${reason}`);
    this.name = "DataError";
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

/** 1-based line number of character offset `index` in `text`. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
