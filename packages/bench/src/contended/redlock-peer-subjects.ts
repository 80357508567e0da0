import { Redis } from 'ioredis';
import RedlockV4 from 'redlock';
import RedlockAsync from 'redlock-async';
import type { ContendedSubject } from './contended-subject.js';

type RedlockClass = typeof RedlockAsync;

/**
 * A Redlock peer over `nodes` ioredis clients. `retryCount: -1` (retry until acquired) replaces the default of
 * 10 attempts, which under contention gives up long before our strategies' 10 s wait; delay and jitter keep
 * their defaults (200 ± 100 ms).
 */
export function redlockPeer(name: string, Redlock: RedlockClass, nodes = 1): ContendedSubject {
  return {
    name: nodes === 1 ? `${name} (N=1)` : `${name} (N=${nodes})`,
    kind: 'peer',
    wakeup: 'poll',
    notes: 'SET NX PX on every node, compare-and-delete release; retries every 200 ± 100 ms (retryCount -1)',
    async open({ urls, ttlMs }) {
      const clients = urls.slice(0, nodes).map((url) => new Redis(url));
      const redlock = new Redlock(clients, { retryCount: -1 });
      redlock.on('clientError', () => undefined);
      const oneShot = new Redlock(clients, { retryCount: 0 });
      oneShot.on('clientError', () => undefined);
      const held = (lock: Awaited<ReturnType<RedlockAsync['lock']>>) => ({
        release: async () => {
          await lock.unlock();
          return true;
        },
      });
      return {
        async acquire(resource, waitTimeoutMs) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`${name}: not acquired in ${waitTimeoutMs} ms`)),
              waitTimeoutMs,
            );
          });
          try {
            return held(await Promise.race([redlock.lock(resource, ttlMs), timeout]));
          } finally {
            clearTimeout(timer);
          }
        },
        async tryAcquire(resource) {
          try {
            return held(await oneShot.lock(resource, ttlMs));
          } catch {
            return null;
          }
        },
        async close() {
          for (const client of clients) client.disconnect();
        },
      };
    },
  };
}

/** redlock-async 3.1.2-fix.2 on one node. */
export const redlockAsyncContended = redlockPeer('redlock-async 3.1.2-fix.2', RedlockAsync);

/** redlock 4.2.0 on one node. */
export const redlockV4Contended = redlockPeer('redlock 4.2.0', RedlockV4 as unknown as RedlockClass);
