import Redfour from 'redfour';
import type { ContendedSubject, HeldLock } from './contended-subject.js';

/**
 * redfour 1.0.5: creates two node_redis 2 connections from the URL (commands, subscriber); `waitAcquireLock`
 * re-attempts on a release message (PUBLISH on one channel per namespace) or after max(remaining ttl, 100 ms).
 */
export const redfourContended: ContendedSubject = {
  name: 'redfour 1.0.5',
  kind: 'peer',
  wakeup: 'pubsub',
  notes: 'script (EXISTS/INCR/HMSET/PEXPIRE); waiters re-attempt on a PUBLISH or after the remaining ttl',
  async open({ urls, ttlMs }) {
    const lock = new Redfour({ redis: urls[0]!, namespace: 'bench:redfour' });
    const notifications: bigint[] = [];
    lock._redisSubscriber.on('message', () => notifications.push(process.hrtime.bigint()));
    const held = (acquired: Redfour.RedfourLock): HeldLock => ({
      release: () =>
        new Promise((resolve, reject) =>
          lock.releaseLock(acquired, (err, result) =>
            err ? reject(err) : resolve(result.result === 'released'),
          ),
        ),
    });
    const attempt = (resource: string, waitMs: number | undefined) =>
      new Promise<Redfour.RedfourLock>((resolve, reject) => {
        const done = (err: Error | null, acquired: Redfour.RedfourLock) =>
          err ? reject(err) : resolve(acquired);
        if (waitMs === undefined) lock.acquireLock(resource, ttlMs, done);
        else lock.waitAcquireLock(resource, ttlMs, waitMs, done);
      });
    // Let the subscription settle before anyone waits on it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      notifications,
      async acquire(resource, waitTimeoutMs) {
        const acquired = await attempt(resource, waitTimeoutMs);
        if (!acquired.success)
          throw new Error(`redfour: ${resource} not acquired within ${waitTimeoutMs} ms`);
        return held(acquired);
      },
      async tryAcquire(resource) {
        const acquired = await attempt(resource, undefined);
        return acquired.success ? held(acquired) : null;
      },
      async close() {
        lock._redisConnection.quit();
        lock._redisSubscriber.quit();
      },
    };
  },
};
