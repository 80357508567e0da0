import Ioredfour from 'ioredfour';
import type { ContendedSubject, HeldLock } from './contended-subject.js';

/**
 * ioredfour 1.4.3 given a URL (it creates its own ioredis 6 connections: commands, subscriber); waiters
 * re-attempt on a release message or after max(remaining ttl + 10, 100) ms.
 */
export const ioredfourContended: ContendedSubject = {
  name: 'ioredfour 1.4.3',
  kind: 'peer',
  wakeup: 'pubsub',
  notes: 'script (EXISTS/INCR/HSET/PEXPIRE); waiters re-attempt on a PUBLISH or after the remaining ttl',
  async open({ urls, ttlMs }) {
    const lock = new Ioredfour({ redis: urls[0]!, namespace: 'bench:ioredfour' });
    const notifications: bigint[] = [];
    lock._redisSubscriber.on('message', () => notifications.push(process.hrtime.bigint()));
    const held = (acquired: Ioredfour.IoredfourLock): HeldLock => ({
      release: async () => (await lock.releaseLock(acquired)).result === 'released',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      notifications,
      async acquire(resource, waitTimeoutMs) {
        const acquired = await lock.waitAcquireLock(resource, ttlMs, waitTimeoutMs);
        if (!acquired.success)
          throw new Error(`ioredfour: ${resource} not acquired within ${waitTimeoutMs} ms`);
        return held(acquired);
      },
      async tryAcquire(resource) {
        const acquired = await lock.acquireLock(resource, ttlMs);
        return acquired.success ? held(acquired) : null;
      },
      async close() {
        lock._redisConnection.disconnect();
        lock._redisSubscriber.disconnect();
      },
    };
  },
};
