/**
 * IAM-OnDB `ascii/` transcription files: each form's `CSR:` section holds one
 * line of text per lineStrokes file of that form, in order.
 * @module
 */
import { DataError } from "../errors.ts";

/**
 * The `CSR:` lines of one transcription file (blank lines and carriage
 * returns removed, trailing spaces trimmed). Throws `DataError` when the file
 * has no `CSR:` section or it is empty.
 */
export function parseCsr(text: string, file: string): string[] {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, "").trimEnd());
  const at = lines.findIndex((l) => l.trim() === "CSR:");
  if (at === -1) throw new DataError(file, "no CSR: section");
  const csr = lines.slice(at + 1).filter((l) => l.trim() !== "");
  if (csr.length === 0) throw new DataError(file, "CSR: section is empty", at + 1);
  return csr;
}

/** `lineStrokes/a01/a01-000/a01-000u-01.xml` → form `a01-000u`, line 1. */
export function strokeFileId(path: string): { form: string; line: number; id: string } | undefined {
  const m = path.match(/([a-z]\d\d-[^/]+?)-(\d+)\.xml$/);
  return m ? { form: m[1], line: Number(m[2]), id: `${m[1]}-${m[2]}` } : undefined;
}

/** `ascii/a01/a01-000/a01-000u.txt` → form `a01-000u`. */
export function transcriptionForm(path: string): string | undefined {
  return path.match(/([a-z]\d\d-[^/]+)\.txt$/)?.[1];
}
