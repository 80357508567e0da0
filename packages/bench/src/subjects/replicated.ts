import { randomBytes } from 'node:crypto';
import { isLockError, toAdapter } from '@redis-locks/core';
import { lockRelease } from '@redis-locks/scripts';
import { createSemaphore, type ReplicationOptions } from '@redis-locks/semaphore';
import Ioredfour from 'ioredfour';
import type { Redis } from 'ioredis';
import { countingAdapter } from '../counting-adapter.js';
import { RoundTripCounter } from '../round-trip-counter.js';
import type { BenchSubject } from './bench-subject.js';
import { connectIoredis } from './clients.js';

const TTL_MS = 10_000;

/**
 * Cycles whose acquiring write the replica did not acknowledge within the WAIT timeout, by subject name: such a cycle
 * is counted here and not retried (the floor and ioredfour then release; our semaphore rolled back and rejected).
 */
export const unacknowledgedCycles = new Map<string, number>();

function countUnacknowledged(name: string): void {
  unacknowledgedCycles.set(name, (unacknowledgedCycles.get(name) ?? 0) + 1);
}

/** Replicas that must acknowledge, and the longest WAIT, for every WAIT-guarded subject. */
export const WAIT_REPLICAS = 1;
/** Longest WAIT in ms. */
export const WAIT_TIMEOUT_MS = 100;

/**
 * The WAIT floor: `SET key token NX PX ttl` and `WAIT 1 100` pipelined on the same connection (one round trip; WAIT
 * covers exactly that write), then `EVALSHA` of lock_release. 2 round trips.
 */
export const waitFloor: BenchSubject = {
  name: `floor: SET NX PX + WAIT ${WAIT_REPLICAS} ${WAIT_TIMEOUT_MS} (pipelined) + EVALSHA release`,
  client: 'ioredis',
  isFloor: true,
  async open(url) {
    const client = await connectIoredis(url);
    await client.script('LOAD', lockRelease.source);
    const roundTrips = new RoundTripCounter();
    return {
      roundTrips,
      async cycle(resource) {
        const owner = randomBytes(16).toString('hex');
        const key = `floor-wait:{${resource}}`;
        roundTrips.count++;
        const replies = await client
          .pipeline()
          .set(key, owner, 'PX', TTL_MS, 'NX')
          .wait(WAIT_REPLICAS, WAIT_TIMEOUT_MS)
          .exec();
        if (replies?.[0]?.[1] !== 'OK') throw new Error(`floor: ${key} was held`);
        if (Number(replies[1]?.[1]) < WAIT_REPLICAS) countUnacknowledged(waitFloor.name);
        roundTrips.count++;
        if (Number(await client.evalsha(lockRelease.sha1, 1, key, owner)) !== 1)
          throw new Error(`floor: ${key} lost`);
      },
      close: async () => {
        client.disconnect();
      },
    };
  },
};

/** `@redis-locks/semaphore` on ioredis, with or without WAIT-confirmed acquisition. */
export function semaphoreReplicated(replication: ReplicationOptions | undefined): BenchSubject {
  const name = replication
    ? `@redis-locks/semaphore, replication { minReplicas: ${replication.minReplicas}, timeout: ${replication.timeout} }`
    : '@redis-locks/semaphore, no replication check';
  return {
    name,
    client: 'ioredis',
    async open(url) {
      const roundTrips = new RoundTripCounter();
      const client = await connectIoredis(url);
      const inner = toAdapter(client);
      const semaphore = createSemaphore({
        client: countingAdapter(inner, roundTrips),
        namespace: 'bench:wait-semaphore',
        ...(replication ? { replication } : {}),
      });
      return {
        roundTrips,
        async cycle(resource) {
          let lock: Awaited<ReturnType<typeof semaphore.acquire>>;
          try {
            lock = await semaphore.acquire(resource, { ttl: TTL_MS, waitTimeout: 0 });
          } catch (error) {
            if (!isLockError(error, 'LOCK_REPLICATION')) throw error;
            countUnacknowledged(name);
            return;
          }
          if ((await lock.release()) !== 'released') throw new Error(`semaphore: ${resource} lost`);
        },
        async close() {
          await semaphore.close();
          await inner.close();
          client.disconnect();
        },
      };
    },
  };
}

/** Counts ioredfour's requests on `client`: its script commands (defined with defineCommand) and pipelines. */
function countIoredfourRequests(client: Redis, lock: Ioredfour, counter: RoundTripCounter): void {
  const target = client as unknown as Record<string, unknown>;
  for (const name of ['acquireLock', 'extendLock', 'releaseLock']) {
    const fn = (lock as unknown as { fn(name: string): string }).fn(name);
    const original = target[fn] as (...args: unknown[]) => unknown;
    // Pipelines copy these methods and call them with the pipeline as `this`: only direct calls are requests.
    target[fn] = function (this: unknown, ...args: unknown[]) {
      if (this === client) counter.count++;
      return original.apply(this, args);
    };
  }
  const pipeline = client.pipeline.bind(client);
  target.pipeline = (...args: Parameters<Redis['pipeline']>) => {
    const created = pipeline(...args);
    const exec = created.exec.bind(created);
    created.exec = ((...execArgs: Parameters<typeof exec>) => {
      counter.count++;
      return exec(...execArgs);
    }) as typeof created.exec;
    return created;
  };
}

/**
 * ioredfour 1.4.3 with `minReplications` (pipelined script + WAIT, then an extend to restore the ttl), on the ioredis
 * connections it creates from the URL (its own ioredis 6).
 */
export function ioredfourReplicated(minReplications: number): BenchSubject {
  const name = minReplications
    ? `ioredfour 1.4.3, minReplications ${minReplications}, replicationTimeout ${WAIT_TIMEOUT_MS}`
    : 'ioredfour 1.4.3, no replication check';
  return {
    name,
    client: 'ioredis',
    async open(url) {
      const roundTrips = new RoundTripCounter();
      const lock = new Ioredfour({
        redis: url,
        namespace: 'bench:wait-ioredfour',
        minReplications,
        replicationTimeout: WAIT_TIMEOUT_MS,
      });
      const client = lock._redisConnection as unknown as Redis;
      countIoredfourRequests(client, lock, roundTrips);
      return {
        roundTrips,
        async cycle(resource) {
          const acquired = await lock.acquireLock(resource, TTL_MS);
          if (!acquired.success && acquired.replicationFailure) return countUnacknowledged(name);
          if (!acquired.success) throw new Error(`ioredfour: ${resource} not acquired`);
          if ((await lock.releaseLock(acquired)).result !== 'released')
            throw new Error(`ioredfour: ${resource} lost`);
        },
        async close() {
          lock._redisSubscriber.disconnect();
          lock._redisConnection.disconnect();
        },
      };
    },
  };
}
