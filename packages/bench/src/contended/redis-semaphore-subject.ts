import { Redis } from 'ioredis';
import { Mutex } from 'redis-semaphore';
import type { ContendedSubject } from './contended-subject.js';

/**
 * redis-semaphore 5.8.0 `Mutex` on ioredis, one Mutex object per acquisition (it carries the owner identifier);
 * waiters poll every `retryInterval` (default 10 ms); auto-refresh is off (`refreshInterval: 0`).
 */
export const redisSemaphoreContended: ContendedSubject = {
  name: 'redis-semaphore 5.8.0 Mutex',
  kind: 'peer',
  wakeup: 'poll',
  notes: 'SET NX PX; waiters poll every 10 ms (default retryInterval); release = compare-and-delete script',
  async open({ urls, ttlMs }) {
    const client = new Redis(urls[0]!);
    const mutexOf = (resource: string, acquireTimeout: number, attempts?: number) =>
      new Mutex(client, `bench:redis-semaphore:${resource}`, {
        lockTimeout: ttlMs,
        acquireTimeout,
        refreshInterval: 0,
        ...(attempts === undefined ? {} : { acquireAttemptsLimit: attempts }),
      });
    const held = (mutex: Mutex) => ({
      release: async () => {
        await mutex.release();
        return true;
      },
    });
    return {
      async acquire(resource, waitTimeoutMs) {
        const mutex = mutexOf(resource, waitTimeoutMs);
        await mutex.acquire();
        return held(mutex);
      },
      async tryAcquire(resource) {
        const mutex = mutexOf(resource, 1000, 1);
        return (await mutex.tryAcquire()) ? held(mutex) : null;
      },
      async close() {
        client.disconnect();
      },
    };
  },
};
