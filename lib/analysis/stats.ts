/**
 * Summary statistics shared by the reports.
 * @module
 */

/** The median of `xs` (the mean of the middle two for an even count); `xs` is not changed. */
export function median(xs: ArrayLike<number>): number {
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
