/** The `q`-quantile (0..1) of `values` by the nearest-rank method; `null` for no values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * Jain's fairness index of a share per contender: 1 when all got the same, 1/n when one got everything;
 * `null` for no contenders or nothing shared.
 */
export function jainFairness(shares: readonly number[]): number | null {
  if (shares.length === 0) return null;
  let sum = 0;
  let sumOfSquares = 0;
  for (const share of shares) {
    sum += share;
    sumOfSquares += share * share;
  }
  if (sumOfSquares === 0) return null;
  return (sum * sum) / (shares.length * sumOfSquares);
}

/** `value` rounded to `digits` decimals (`null` stays `null`), for reports. */
export function round(value: number | null, digits = 2): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
