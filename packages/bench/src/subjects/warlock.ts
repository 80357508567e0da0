import warlock from 'node-redis-warlock';
import { countingIoredis } from '../counting-client.js';
import { RoundTripCounter } from '../round-trip-counter.js';
import type { BenchSubject } from './bench-subject.js';
import { connectIoredis } from './clients.js';

const TTL_MS = 10_000;

/**
 * node-redis-warlock 1.0.2 given an ioredis client (it calls `set(..., cb)`, `evalsha(..., cb)` and
 * `script('load', ..., cb)`, which ioredis accepts with a trailing callback). Round trips are counted by a
 * Proxy over the client.
 */
export const warlockOnIoredis: BenchSubject = {
  name: 'node-redis-warlock 1.0.2',
  client: 'ioredis',
  async open(url) {
    const roundTrips = new RoundTripCounter();
    const client = await connectIoredis(url);
    const lock = warlock(countingIoredis(client, roundTrips));
    return {
      roundTrips,
      cycle: (resource) =>
        new Promise<void>((resolve, reject) => {
          lock.lock(`bench:warlock:${resource}`, TTL_MS, (err, unlock) => {
            if (err) return reject(err);
            if (typeof unlock !== 'function') return reject(new Error(`warlock: ${resource} was held`));
            unlock((unlockErr, result) => {
              if (unlockErr) reject(unlockErr);
              else if (result !== 1) reject(new Error(`warlock: ${resource} lost`));
              else resolve();
            });
          });
        }),
      close: async () => {
        client.disconnect();
      },
    };
  },
};
