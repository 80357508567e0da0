import { Redis } from 'ioredis';
import warlock from 'node-redis-warlock';
import type { ContendedSubject, HeldLock } from './contended-subject.js';

/** Fixed wait between `optimistic` attempts: warlock has no default; 100 ms matches our default base delay. */
const WAIT_MS = 100;

/** node-redis-warlock 1.0.2 on ioredis: `optimistic(key, ttl, maxAttempts, wait)` polls with a fixed wait. */
export const warlockContended: ContendedSubject = {
  name: 'node-redis-warlock 1.0.2',
  kind: 'peer',
  wakeup: 'poll',
  notes: `SET NX PX; optimistic() retries every ${WAIT_MS} ms (fixed, no jitter)`,
  async open({ urls, ttlMs }) {
    const client = new Redis(urls[0]!);
    const lock = warlock(client);
    const held = (unlock: (cb: (err: Error | null, result?: number) => void) => void): HeldLock => ({
      release: () =>
        new Promise((resolve, reject) =>
          unlock((err, result) => (err ? reject(err) : resolve(result === 1))),
        ),
    });
    return {
      acquire: (resource, waitTimeoutMs) =>
        new Promise((resolve, reject) => {
          const attempts = Math.max(1, Math.ceil(waitTimeoutMs / WAIT_MS));
          lock.optimistic(`bench:warlock:${resource}`, ttlMs, attempts, WAIT_MS, (err, unlock) => {
            if (err) reject(err);
            else if (typeof unlock !== 'function') reject(new Error(`warlock: ${resource} not acquired`));
            else resolve(held(unlock));
          });
        }),
      tryAcquire: (resource) =>
        new Promise((resolve, reject) => {
          lock.lock(`bench:warlock:${resource}`, ttlMs, (err, unlock) => {
            if (err) reject(err);
            else resolve(typeof unlock === 'function' ? held(unlock) : null);
          });
        }),
      async close() {
        client.disconnect();
      },
    };
  },
};
