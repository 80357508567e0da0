import type { RetryPolicy } from '@redis-locks/core';
import { createOptimisticLock } from '@redis-locks/optimistic';
import type { ContendedSubject } from './contended-subject.js';
import { strategyContended } from './strategy-subject.js';

/** `@redis-locks/optimistic` with retry policy `retry`, for the retry-spread scenario. */
function optimisticWith(label: string, retry: RetryPolicy): ContendedSubject {
  return strategyContended(`optimistic, ${label}`, 'poll', `retry ${JSON.stringify(retry)}`, ([client]) =>
    createOptimisticLock({ client: client!, namespace: 'bench:retry', retry }),
  );
}

/** The retry policies compared by scenario 6, all with a 10 ms base so they differ only in spacing. */
export const RETRY_SUBJECTS: readonly ContendedSubject[] = [
  optimisticWith('fixed 10 ms, no jitter', { delay: 10, backoff: 'fixed' }),
  optimisticWith('fixed 10 ± 5 ms', { delay: 10, jitter: 5, backoff: 'fixed' }),
  optimisticWith('exponential 10 ms ×2 ≤ 200, no jitter', {
    delay: 10,
    backoff: 'exponential',
    maxDelay: 200,
  }),
  optimisticWith('exponential 10 ms ×2 ≤ 200, ± 5 ms', {
    delay: 10,
    jitter: 5,
    backoff: 'exponential',
    maxDelay: 200,
  }),
  optimisticWith('default: fixed 100 ± 50 ms', { delay: 100, jitter: 50, backoff: 'fixed' }),
];
