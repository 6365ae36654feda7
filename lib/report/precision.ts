/**
 * Numbers at the precision that means something: the paper's digits and one
 * more. Scores computed on another machine differ in the 8th significant digit
 * (another BLAS kernel sums in another order); stored and shown at full
 * precision, every reproduction would rewrite every result. A measure is
 * known by its name: bits per character (paper 1.42) keep 3 decimals, nats
 * per sequence (−1096.9) 2, SSE per point (0.40) 3, perplexity (138) 1, an
 * error in percent (37.6) 2, epochs and hours 2; any other fraction keeps 5
 * significant digits. Whole numbers, strings and settings stay as they are.
 * @module
 */

/** Decimals kept for a measure named `key` (matched case-insensitively), or undefined: 5 significant digits. */
export function decimalsFor(key: string): number | undefined {
  const k = key.toLowerCase();
  if (/bpc|bits/.test(k)) return 3;
  if (/nats/.test(k)) return 2;
  if (/sse/.test(k)) return 3;
  if (/perplexity/.test(k)) return 1;
  if (/error/.test(k)) return 2;
  if (/epochs|hours/.test(k)) return 2;
  return undefined;
}

/** Settings people type (never rounded): rates, noise, biases, seeds, temperatures. */
const SETTING =
  /^(lr|learning_?rate|eta|lambda|sigma|bias(es)?|temperature|seed|momentum|epsilon|clip|alpha|beta|gamma|decay)/i;

/** `x` rounded for a measure named `key` (see the module's rules). */
export function roundMeasure(key: string, x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x) || SETTING.test(key)) return x;
  const d = decimalsFor(key);
  if (d !== undefined) return Number(x.toFixed(d));
  return Number(x.toPrecision(5));
}

/** A copy of `value` with every fractional number rounded by the name of the field it is in. */
export function roundMeasures<T>(value: T, key = ""): T {
  if (typeof value === "number") return roundMeasure(key, value) as T;
  if (Array.isArray(value)) return value.map((v) => roundMeasures(v, key)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundMeasures(v, k)])) as T;
  }
  return value;
}
