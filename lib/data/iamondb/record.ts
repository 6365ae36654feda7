/**
 * What a handwriting checkpoint's record says about its data: the offset
 * normalisation statistics it was trained with and, for a synthesis network,
 * the characters it knows. Read the same way by the experiments' loaders
 * (from a folder) and by the page (from a fetched `model.json`).
 * @module
 */
import { type Charset, charsetFromSymbols } from "./charset.ts";
import type { OffsetStats } from "./offsets.ts";

/** The `data` part of a handwriting or synthesis checkpoint's record. */
export interface LinesRecordData {
  stats: OffsetStats;
  charset?: { name: string; symbols: string[] };
}

/** A network's data facts: its normalisation statistics, and its charset when it writes text. */
export interface LinesFacts {
  stats: OffsetStats;
  charset?: Charset;
}

/** The data facts in a checkpoint record's `data`, refusing a record without statistics by name. */
export function linesFacts(data: unknown, where: string): LinesFacts {
  const d = data as Partial<LinesRecordData> | undefined;
  if (!d?.stats?.mean || !d.stats.std) {
    throw new Error(
      `${where}: the checkpoint's record has no offset statistics (data.stats): not a handwriting network`,
    );
  }
  return {
    stats: d.stats,
    ...(d.charset ? { charset: charsetFromSymbols(d.charset.name, d.charset.symbols) } : {}),
  };
}
