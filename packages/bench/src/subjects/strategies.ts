import { type LockStrategy, type RedisAdapter, toAdapter } from '@redis-locks/core';
import { createKeyedLock } from '@redis-locks/keyed';
import { createOptimisticLock } from '@redis-locks/optimistic';
import { createRedlock } from '@redis-locks/redlock';
import { createSemaphore } from '@redis-locks/semaphore';
import { countingAdapter } from '../counting-adapter.js';
import { RoundTripCounter } from '../round-trip-counter.js';
import type { BenchSubject, ClientKind } from './bench-subject.js';
import { connectIoredis, connectNodeRedis } from './clients.js';

const TTL_MS = 10_000;

type StrategyFactory = (adapter: RedisAdapter) => LockStrategy;

/** One of our strategies on `client`, its Redis I/O counted through a counting RedisAdapter. */
function strategySubject(name: string, client: ClientKind, create: StrategyFactory): BenchSubject {
  return {
    name,
    client,
    async open(url) {
      const roundTrips = new RoundTripCounter();
      const connection = client === 'ioredis' ? await connectIoredis(url) : await connectNodeRedis(url);
      const inner = toAdapter(connection);
      const strategy = create(countingAdapter(inner, roundTrips));
      return {
        roundTrips,
        async cycle(resource) {
          const lock = await strategy.acquire(resource, { ttl: TTL_MS, waitTimeout: 0 });
          if ((await lock.release()) !== 'released') throw new Error(`${name}: ${resource} lost`);
        },
        async close() {
          await strategy.close();
          await inner.close();
          if ('destroy' in connection) connection.destroy();
          else connection.disconnect();
        },
      };
    },
  };
}

/** `@redis-locks/optimistic` on ioredis. */
export const optimisticOnIoredis = strategySubject('@redis-locks/optimistic', 'ioredis', (adapter) =>
  createOptimisticLock({ client: adapter, namespace: 'bench:optimistic' }),
);

/** `@redis-locks/optimistic` on node-redis. */
export const optimisticOnNodeRedis = strategySubject('@redis-locks/optimistic', 'node-redis', (adapter) =>
  createOptimisticLock({ client: adapter, namespace: 'bench:optimistic' }),
);

/** `@redis-locks/keyed` on ioredis. */
export const keyedOnIoredis = strategySubject('@redis-locks/keyed', 'ioredis', (adapter) =>
  createKeyedLock({ client: adapter, namespace: 'bench:keyed' }),
);

/** `@redis-locks/semaphore` (fastest waiter wins, pub/sub wake-up) on `client`. */
function semaphoreSubject(client: ClientKind): BenchSubject {
  return strategySubject('@redis-locks/semaphore', client, (adapter) =>
    createSemaphore({ client: adapter, namespace: 'bench:semaphore' }),
  );
}

/** `@redis-locks/semaphore` with `fair: true` (FIFO queue, direct grant) on `client`. */
function fairSemaphoreSubject(client: ClientKind): BenchSubject {
  return strategySubject('@redis-locks/semaphore fair', client, (adapter) =>
    createSemaphore({ client: adapter, namespace: 'bench:semaphore-fair', fair: true }),
  );
}

/** `@redis-locks/redlock` over one node (N = 1: quorum 1) on `client`. */
function redlockSubject(client: ClientKind): BenchSubject {
  return strategySubject('@redis-locks/redlock (N=1)', client, (adapter) =>
    createRedlock({ clients: [adapter], namespace: 'bench:redlock' }),
  );
}

/** `@redis-locks/semaphore` on ioredis. */
export const semaphoreOnIoredis = semaphoreSubject('ioredis');

/** `@redis-locks/semaphore` on node-redis. */
export const semaphoreOnNodeRedis = semaphoreSubject('node-redis');

/** `@redis-locks/semaphore` with `fair: true` on ioredis. */
export const fairSemaphoreOnIoredis = fairSemaphoreSubject('ioredis');

/** `@redis-locks/semaphore` with `fair: true` on node-redis. */
export const fairSemaphoreOnNodeRedis = fairSemaphoreSubject('node-redis');

/** `@redis-locks/redlock` with N = 1 on ioredis. */
export const redlockOnIoredis = redlockSubject('ioredis');

/** `@redis-locks/redlock` with N = 1 on node-redis. */
export const redlockOnNodeRedis = redlockSubject('node-redis');
