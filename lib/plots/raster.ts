/**
 * A grid of values as a PNG image (a data URI) for figures whose fine grids
 * would be tens of thousands of SVG rectangles: the predictive densities of
 * Figs 10 and 14. Colours run from white (zero) on a log scale.
 * @module
 */
import { deflateSync } from "node:zlib";

/** Colour stops from white (t = 0) to dark red (t = 1): white background, as the paper's figures. */
export const WHITE_TO_RED: [number, number, number][] = [
  [255, 255, 255],
  [254, 232, 200],
  [253, 187, 132],
  [227, 74, 51],
  [127, 0, 0],
];

/** The colour at t ∈ [0, 1] along `stops`, linearly interpolated. */
export function rampColour(t: number, stops = WHITE_TO_RED): [number, number, number] {
  const u = Math.min(1, Math.max(0, t)) * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i, a = stops[i], b = stops[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + f * (b[k] - a[k]))) as [number, number, number];
}

/**
 * Log scaling to [0, 1]: 1 at the grid's maximum, 0 at `decades` orders of
 * magnitude below it (and for zero).
 */
export function logScale(values: ArrayLike<number>, decades = 3): Float32Array {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  const out = new Float32Array(values.length);
  if (!(max > 0)) return out;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v > 0 ? Math.max(0, 1 + Math.log10(v / max) / decades) : 0;
  }
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length), view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * An RGB PNG of `rows` × `cols` pixels, row 0 at the top; `colour(r, c)` gives each pixel.
 */
export function encodePng(
  rows: number,
  cols: number,
  colour: (r: number, c: number) => [number, number, number],
): Uint8Array {
  const raw = new Uint8Array(rows * (1 + 3 * cols)); // each row: filter byte 0, then RGB
  for (let r = 0; r < rows; r++) {
    const o = r * (1 + 3 * cols);
    for (let c = 0; c < cols; c++) raw.set(colour(r, c), o + 1 + 3 * c);
  }
  const header = new Uint8Array(13), view = new DataView(header.buffer);
  view.setUint32(0, cols);
  view.setUint32(4, rows);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** Bytes as base64 (an image in a notebook, or in a `data:` URI). */
export function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A PNG as a `data:` URI for an SVG `<image>`. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${base64(png)}`;
}
