import { type LockStrategy, type RedisAdapter, toAdapter } from '@redis-locks/core';
import { createKeyedLock } from '@redis-locks/keyed';
import { createOptimisticLock } from '@redis-locks/optimistic';
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
