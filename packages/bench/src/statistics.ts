/** The `q`-quantile (0..1) of `values` by nearest rank; NaN for none. */
export function percentile(values: readonly number[] | Float64Array, q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/** Median, minimum and maximum of repeated measurements of one point. */
export interface Spread {
  /** Median. */
  readonly median: number;
  /** Smallest. */
  readonly min: number;
  /** Largest. */
  readonly max: number;
}

/** The {@link Spread} of `values`. */
export function spread(values: readonly number[]): Spread {
  return { median: percentile(values, 0.5), min: Math.min(...values), max: Math.max(...values) };
}
