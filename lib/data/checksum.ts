/**
 * File checksums (MD5, as published for PTB and enwik8).
 * @module
 */
import { createHash } from "node:crypto";

/** Hex MD5 of a file, streamed. */
export async function md5File(path: string): Promise<string> {
  const h = createHash("md5");
  const f = await Deno.open(path);
  for await (const chunk of f.readable) h.update(chunk);
  return h.digest("hex");
}

/** Hex MD5 of bytes or a string. */
export function md5(data: Uint8Array | string): string {
  return createHash("md5").update(data).digest("hex");
}
