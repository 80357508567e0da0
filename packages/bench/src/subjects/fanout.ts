import { toAdapter } from '@redis-locks/core';
import { createRedlock } from '@redis-locks/redlock';
import { Redis } from 'ioredis';
import RedlockV4 from 'redlock';
import RedlockAsync from 'redlock-async';
import { countingAdapter } from '../counting-adapter.js';
import { countingIoredis } from '../counting-client.js';
import { RoundTripCounter } from '../round-trip-counter.js';
import type { BenchSubject, CyclePhases, OpenSubject } from './bench-subject.js';

const TTL_MS = 10_000;

/** Times acquire and release of one cycle separately into `phases`. */
async function timed<T>(phases: CyclePhases, acquire: () => Promise<T>, release: (held: T) => Promise<void>) {
  const started = process.hrtime.bigint();
  const held = await acquire();
  const acquired = process.hrtime.bigint();
  await release(held);
  phases.acquireUs.push(Number(acquired - started) / 1000);
  phases.releaseUs.push(Number(process.hrtime.bigint() - acquired) / 1000);
}

/** `@redis-locks/redlock` over `urls` (one ioredis client per node); round trips counted per node request. */
export function redlockFanout(urls: readonly string[], label: string): BenchSubject {
  return {
    name: `@redis-locks/redlock (${label})`,
    client: 'ioredis',
    async open(): Promise<OpenSubject> {
      const roundTrips = new RoundTripCounter();
      const phases: CyclePhases = { acquireUs: [], releaseUs: [] };
      const clients = urls.map((url) => new Redis(url));
      const adapters = clients.map((client) => toAdapter(client));
      const redlock = createRedlock({
        clients: adapters.map((adapter) => countingAdapter(adapter, roundTrips)),
        namespace: 'bench:fanout',
      });
      return {
        roundTrips,
        phases,
        cycle: (resource) =>
          timed(
            phases,
            () => redlock.acquire(resource, { ttl: TTL_MS, waitTimeout: 0 }),
            async (lock) => {
              if ((await lock.release()) !== 'released') throw new Error(`redlock: ${resource} lost`);
            },
          ),
        async close() {
          await redlock.close();
          for (const adapter of adapters) await adapter.close();
          for (const client of clients) client.disconnect();
        },
      };
    },
  };
}

/** A Redlock peer (redlock-async, redlock 4) over `urls`, one attempt per acquire (`retryCount: 0`). */
function peerFanout(
  name: string,
  Redlock: typeof RedlockAsync,
  urls: readonly string[],
  label: string,
): BenchSubject {
  return {
    name: `${name} (${label})`,
    client: 'ioredis',
    async open(): Promise<OpenSubject> {
      const roundTrips = new RoundTripCounter();
      const phases: CyclePhases = { acquireUs: [], releaseUs: [] };
      const clients = urls.map((url) => new Redis(url));
      const redlock = new Redlock(
        clients.map((client) => countingIoredis(client, roundTrips)),
        { retryCount: 0 },
      );
      redlock.on('clientError', () => undefined);
      return {
        roundTrips,
        phases,
        cycle: (resource) =>
          timed(
            phases,
            () => redlock.lock(`bench:fanout-peer:${resource}`, TTL_MS),
            async (lock) => {
              await lock.unlock();
            },
          ),
        async close() {
          for (const client of clients) client.disconnect();
        },
      };
    },
  };
}

/** redlock-async 3.1.2-fix.2 over `urls`. */
export const redlockAsyncFanout = (urls: readonly string[], label: string) =>
  peerFanout('redlock-async 3.1.2-fix.2', RedlockAsync, urls, label);

/** redlock 4.2.0 over `urls`. */
export const redlockV4Fanout = (urls: readonly string[], label: string) =>
  peerFanout('redlock 4.2.0', RedlockV4 as unknown as typeof RedlockAsync, urls, label);
