/** How attempts of many contenders spread out in time. */
export interface AttemptSpread {
  /**
   * Index of dispersion (variance ÷ mean) of the number of attempts per 1 ms bin over the run: 1 for independent
   * (Poisson) attempts, above 1 when attempts come in bursts (lock-step retries), below 1 when evenly spaced.
   */
  readonly dispersion: number;
  /** Coefficient of variation of the gaps between consecutive attempts (1 ≈ random, > 1 = bursts). */
  readonly gapCv: number;
  /** Gaps between consecutive attempts (ms) at `quantiles` evenly spaced quantiles, for an ECDF chart. */
  readonly gapQuantilesMs: number[];
}

/**
 * Measures the decorrelation of `attempts` (sorted `process.hrtime.bigint()` of every attempt of every contender):
 * how bursty they are (dispersion of per-ms counts, CV of the gaps) and the distribution of the gaps.
 */
export function attemptSpread(attempts: readonly bigint[], quantiles = 100): AttemptSpread {
  let dispersion = Number.NaN;
  if (attempts.length > 1) {
    const first = attempts[0]!;
    const bins = new Array<number>(Math.floor(Number(attempts.at(-1)! - first) / 1e6) + 1).fill(0);
    for (const attempt of attempts) bins[Math.floor(Number(attempt - first) / 1e6)]!++;
    const binMean = attempts.length / bins.length;
    const variance = bins.reduce((s, n) => s + (n - binMean) ** 2, 0) / bins.length;
    dispersion = variance / binMean;
  }
  const gaps: number[] = [];
  for (let i = 1; i < attempts.length; i++) gaps.push(Number(attempts[i]! - attempts[i - 1]!) / 1e6);
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
  const sorted = [...gaps].sort((a, b) => a - b);
  const gapQuantilesMs =
    sorted.length === 0
      ? []
      : Array.from(
          { length: quantiles },
          (_, k) => sorted[Math.min(sorted.length - 1, Math.floor(((k + 0.5) / quantiles) * sorted.length))]!,
        );
  return {
    dispersion,
    gapCv: mean > 0 ? sd / mean : Number.NaN,
    gapQuantilesMs,
  };
}
