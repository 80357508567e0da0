import { createKeyedLock } from '@redis-locks/keyed';
import { createOptimisticLock } from '@redis-locks/optimistic';
import { createRedlock } from '@redis-locks/redlock';
import { createSemaphore } from '@redis-locks/semaphore';
import { strategyContended } from './strategy-subject.js';

/** `@redis-locks/optimistic` with its default retry (100 ms ± 50 ms, fixed). */
export const optimisticContended = strategyContended(
  '@redis-locks/optimistic',
  'poll',
  'lock_acquire script (SET NX PX + INCR fence); waiters poll every 100 ± 50 ms (default retry)',
  ([client]) => createOptimisticLock({ client: client!, namespace: 'bench:optimistic' }),
);

/** `@redis-locks/keyed` with its default retry. */
export const keyedContended = strategyContended(
  '@redis-locks/keyed',
  'poll',
  'same scripts as optimistic, keyed API; waiters poll every 100 ± 50 ms (default retry)',
  ([client]) => createKeyedLock({ client: client!, namespace: 'bench:keyed' }),
);

/** `@redis-locks/semaphore`, fastest waiter wins, pub/sub wake-up. */
export const semaphoreContended = strategyContended(
  '@redis-locks/semaphore',
  'pubsub',
  'hash lock + PUBLISH on release; waiters subscribe once contended, 1 s fallback re-check',
  ([client]) => createSemaphore({ client: client!, namespace: 'bench:semaphore' }),
);

/** `@redis-locks/semaphore` with `fair: true`: FIFO queue, release grants the first live waiter directly. */
export const fairSemaphoreContended = strategyContended(
  '@redis-locks/semaphore fair',
  'grant',
  'FIFO queue; release hands the lock to the first live waiter and notifies only it (direct grant)',
  ([client]) => createSemaphore({ client: client!, namespace: 'bench:semaphore-fair', fair: true }),
);

/** `@redis-locks/redlock` on one node (N = 1), default retry; release notifications wake waiters early. */
export const redlockContended = strategyContended(
  '@redis-locks/redlock (N=1)',
  // capabilities.wakeup is 'poll', but release notifications wake its waiters early.
  'pubsub',
  'quorum of 1 node; waiters retry every 100 ± 50 ms and are woken early by release notifications',
  (clients) => createRedlock({ clients, namespace: 'bench:redlock' }),
);
