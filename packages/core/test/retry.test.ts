import { describe, expect, it } from 'vitest';
import { retryDelay } from '../src/index.js';

describe('retryDelay', () => {
  it('keeps a fixed delay without jitter', () => {
    expect([1, 2, 5].map((n) => retryDelay({ delay: 100 }, n))).toEqual([100, 100, 100]);
  });

  it('doubles an exponential delay up to maxDelay', () => {
    const policy = { delay: 50, backoff: 'exponential', maxDelay: 300 } as const;
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(policy, n))).toEqual([50, 100, 200, 300, 300]);
  });

  it('spreads delays across [delay - jitter, delay + jitter]', () => {
    const policy = { delay: 100, jitter: 40 };
    expect(retryDelay(policy, 1, () => 0)).toBe(60);
    expect(retryDelay(policy, 1, () => 0.5)).toBe(100);
    expect(retryDelay(policy, 1, () => 0.999999)).toBe(140);
    const seen = new Set(Array.from({ length: 200 }, () => retryDelay(policy, 1)));
    expect(seen.size).toBeGreaterThan(20);
    for (const value of seen) expect(value).toBeGreaterThanOrEqual(60);
    for (const value of seen) expect(value).toBeLessThanOrEqual(140);
  });

  it('never returns a negative delay', () => {
    expect(retryDelay({ delay: 10, jitter: 50 }, 1, () => 0)).toBe(0);
  });
});
