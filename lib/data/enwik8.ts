/**
 * enwik8, the first 10⁸ bytes of an English Wikipedia XML dump (section 3.2).
 *
 * The paper trains on the first 96M bytes and validates on the last 4M, one
 * symbol per byte (205 distinct bytes occur). Any prefix of the file is
 * accepted: the split is scaled to its length and every report says that the
 * results are on a prefix and not comparable with the paper's Table 2.
 * @module
 */
import { join } from "node:path";
import { dataRoot, exists } from "../util/paths.ts";
import { DataError } from "./errors.ts";

/** The full file's size and MD5 (of the unzipped `enwik8`). */
export const ENWIK8_FULL = { bytes: 100_000_000, md5: "a1fa5ffddb56f4953e226637dabbb36a" };
/** Public source of the full file. */
export const ENWIK8_URL = "http://mattmahoney.net/dc/enwik8.zip";

/** `paper`: 96% train / 4% validation. `90/5/5`: the common train/valid/test split. */
export type Enwik8SplitName = "paper" | "90/5/5";

/** enwik8 (or a prefix of it), split and encoded. */
export interface Enwik8 {
  /** Byte value → code (−1 for bytes that never occur). */
  codeOf: Int16Array;
  /** Code → byte value. */
  bytes: Uint8Array;
  /** Number of symbols (distinct bytes in the file). */
  size: number;
  train: Uint8Array;
  valid: Uint8Array;
  test?: Uint8Array;
  /** Bytes of the file used. */
  dataBytes: number;
  /** True when the file is shorter than the full 10⁸ bytes. */
  isPrefix: boolean;
  /** One line for every report: data size, split, and the prefix caveat. */
  caveat: string;
  path: string;
}

/** Finds the enwik8 file (or prefix) in `${GRAVES_DATA}/enwik8`. */
export function locateEnwik8(dir = join(dataRoot(), "enwik8")): string {
  if (exists(join(dir, "enwik8"))) return join(dir, "enwik8");
  if (exists(dir)) {
    // the text itself, not its archive: enwik8.zip beside it is what --download fetched
    const cands = [...Deno.readDirSync(dir)]
      .filter((e) => e.isFile && /^enwik8/.test(e.name) && !/\.(zip|gz|bz2|xz|7z|tar)$/i.test(e.name))
      .map((e) => e.name).sort();
    if (cands.length) return join(dir, cands[0]);
  }
  throw new DataError(dir, "no enwik8 file: run `deno task data --download` or see data/README.md");
}

/** Archive signatures: a file that starts with one is compressed, not the text to train on. */
const ARCHIVES: [string, number[]][] = [
  ["zip", [0x50, 0x4b, 0x03, 0x04]],
  ["gzip", [0x1f, 0x8b]],
  ["bzip2", [0x42, 0x5a, 0x68]],
  ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ["7z", [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
];

/** Throws, naming the file, when `bytes` are a compressed archive rather than text (recognised by content). */
export function assertNotArchive(path: string, bytes: Uint8Array): void {
  const hit = ARCHIVES.find(([, sig]) => sig.every((b, i) => bytes[i] === b));
  if (hit) {
    throw new DataError(
      path,
      `a ${hit[0]} archive, not the text: unpack it (deno task data --download does)`,
    );
  }
}

/** Split boundaries for a file of `n` bytes, scaled from the paper's 96M/4M of 100M. */
export function enwik8Bounds(n: number, split: Enwik8SplitName): number[] {
  return split === "paper" ? [Math.round(n * 0.96), n] : [Math.round(n * 0.9), Math.round(n * 0.95), n];
}

/** Loads the file and splits it; symbols are the distinct bytes of the whole file. */
export function loadEnwik8(options: { path?: string; split?: Enwik8SplitName } = {}): Enwik8 {
  const path = options.path ?? locateEnwik8();
  const split = options.split ?? "paper";
  const raw = Deno.readFileSync(path);
  assertNotArchive(path, raw);
  const seen = new Uint8Array(256);
  for (const b of raw) seen[b] = 1;
  const codeOf = new Int16Array(256).fill(-1);
  const bytes: number[] = [];
  for (let b = 0; b < 256; b++) if (seen[b]) codeOf[b] = bytes.push(b) - 1;
  const codes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) codes[i] = codeOf[raw[i]];
  const bounds = enwik8Bounds(raw.length, split);
  const isPrefix = raw.length < ENWIK8_FULL.bytes;
  const mb = (n: number) => `${(n / 1e6).toFixed(2)}M`;
  const parts = split === "paper"
    ? `train ${mb(bounds[0])} / valid ${mb(raw.length - bounds[0])} bytes`
    : `train ${mb(bounds[0])} / valid ${mb(bounds[1] - bounds[0])} / test ${
      mb(raw.length - bounds[1])
    } bytes`;
  const caveat = isPrefix
    ? `enwik8 PREFIX of ${raw.length.toLocaleString("en")} bytes (${
      (100 * raw.length / ENWIK8_FULL.bytes).toFixed(1)
    }% ` +
      `of enwik8), ${split} split scaled to it (${parts}): NOT comparable with the paper's Table 2`
    : `full enwik8, ${split} split (${parts})`;
  return {
    codeOf,
    bytes: Uint8Array.from(bytes),
    size: bytes.length,
    train: codes.subarray(0, bounds[0]),
    valid: codes.subarray(bounds[0], bounds[1]),
    test: split === "90/5/5" ? codes.subarray(bounds[1]) : undefined,
    dataBytes: raw.length,
    isPrefix,
    caveat,
    path,
  };
}

/** Codes → text (bytes decoded as UTF-8, invalid sequences shown as �). */
export function decodeEnwik8(codes: ArrayLike<number>, e: Pick<Enwik8, "bytes">): string {
  const b = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) b[i] = e.bytes[codes[i]];
  return new TextDecoder().decode(b);
}
