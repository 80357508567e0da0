/** Jain's fairness index of shares: 1 when all are equal, 1/n when one contender got everything; NaN for none. */
export function jainFairness(shares: readonly number[]): number {
  let sum = 0;
  let sumOfSquares = 0;
  for (const share of shares) {
    sum += share;
    sumOfSquares += share * share;
  }
  return shares.length === 0 || sumOfSquares === 0
    ? Number.NaN
    : (sum * sum) / (shares.length * sumOfSquares);
}
