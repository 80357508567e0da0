import type { RetryPolicy } from './types.js';

const DEFAULT_MAX_DELAY = 2000;

/** The delay before attempt `attempt + 1` (attempt counts from 1), jittered so contenders spread out. */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base =
    policy.backoff === 'exponential'
      ? Math.min(policy.maxDelay ?? DEFAULT_MAX_DELAY, policy.delay * 2 ** Math.max(0, attempt - 1))
      : policy.delay;
  const jitter = policy.jitter ?? 0;
  return Math.max(0, Math.round(base + (random() * 2 - 1) * jitter));
}
