import { OverlapChecker, uniqueKey } from '@redis-locks/testing';
import OriginalIoredfour from 'ioredfour';
import OriginalRedfour from 'redfour';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import IoredfourLock from '../src/ioredfour.js';
import RedfourLock from '../src/redfour.js';
import { connect, redisUrl, sleep } from './helpers.js';

/** Closes an original instance: neither library can (their two connections are quit by hand). */
async function closeOriginal(original: any): Promise<void> {
  for (const connection of [original._redisConnection, original._redisSubscriber]) {
    await new Promise<void>((resolve) => {
      const result = connection.quit(() => resolve());
      if (result && typeof result.then === 'function')
        result.then(
          () => resolve(),
          () => resolve(),
        );
    });
  }
}

/** Promisifies a redfour 1.x (callback-only) or ioredfour (promise) method call. */
function call<T>(original: any, method: string, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    original[method](...args, (err: Error | null, result: T) => (err ? reject(err) : resolve(result)));
  });
}

const pairs = [
  { name: 'redfour 1.0.5 ↔ ./redfour', Original: OriginalRedfour, DropIn: RedfourLock },
  { name: 'ioredfour 1.4.3 ↔ ./ioredfour', Original: OriginalIoredfour, DropIn: IoredfourLock },
  { name: 'redfour 1.0.5 ↔ ./ioredfour', Original: OriginalRedfour, DropIn: IoredfourLock },
];

describe.each(pairs)('interop: $name on one namespace', ({ Original, DropIn }) => {
  let original: any;
  let dropIn: RedfourLock;
  let namespace: string;
  beforeAll(async () => {
    namespace = uniqueKey('interop');
    original = new Original({ redis: redisUrl(), namespace });
    dropIn = new DropIn({ redis: redisUrl(), namespace, fallbackInterval: 5000 });
    await sleep(100); // the originals subscribe without waiting for the confirmation
  });
  afterAll(async () => {
    await dropIn.quit();
    await closeOriginal(original);
    const admin = connect();
    await admin.del(`${namespace}index`);
    await admin.quit();
  });

  it('a lock held by the original refuses the drop-in, whose waiter wakes on the original release', async () => {
    const held: any = await call(original, 'acquireLock', 'a', 10_000);
    expect(held.success).toBe(true);
    const refused = await dropIn.acquireLock('a', 1000);
    expect(refused).toMatchObject({ success: false, index: -1 });
    expect(refused.ttl).toBeGreaterThan(9000);
    const started = performance.now();
    const waiting = dropIn.waitAcquireLock('a', 1000, 8000);
    await sleep(100);
    const released: any = await call(original, 'releaseLock', held);
    expect(released).toMatchObject({ success: true, result: 'released' });
    const acquired = await waiting;
    expect(acquired.success).toBe(true);
    expect(acquired.index).toBeGreaterThan(held.index);
    expect(performance.now() - started).toBeLessThan(1000);
    await dropIn.releaseLock(acquired);
  });

  it("a lock held by the drop-in refuses the original, whose waiter wakes on the drop-in's release", async () => {
    const held = await dropIn.acquireLock('b', 10_000);
    const refused: any = await call(original, 'acquireLock', 'b', 1000);
    expect(refused.success).toBe(false);
    const started = performance.now();
    // The original waiter sleeps for the holder's remaining ttl (10 s) unless the release message wakes it.
    const waiting = call<any>(original, 'waitAcquireLock', 'b', 1000, 8000);
    await sleep(200);
    expect(await dropIn.releaseLock(held)).toMatchObject({ result: 'released' });
    const acquired = await waiting;
    expect(acquired.success).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
    await call(original, 'releaseLock', acquired);
  });

  it('the original cannot release a drop-in lock with a stale index, and vice versa', async () => {
    const first = await dropIn.acquireLock('c', 5000);
    const stale: any = await call(original, 'releaseLock', { id: 'c', index: first.index - 1 });
    expect(stale.success).toBe(false);
    await dropIn.releaseLock(first);
    const byOriginal: any = await call(original, 'acquireLock', 'c', 5000);
    expect(await dropIn.releaseLock({ id: 'c', index: byOriginal.index - 1 })).toMatchObject({
      result: 'conflict',
    });
    await call(original, 'releaseLock', byOriginal);
  });

  it('never grants one id to both at once under contention', async () => {
    const checker = new OverlapChecker();
    const deadline = Date.now() + 800;
    const worker = async (
      name: string,
      acquire: () => Promise<any>,
      release: (lock: any) => Promise<unknown>,
    ) => {
      let count = 0;
      while (Date.now() < deadline) {
        const lock = await acquire();
        if (!lock.success) continue;
        checker.acquired('hot', `${name}:${lock.index}`);
        count++;
        await sleep(2);
        checker.released('hot', `${name}:${lock.index}`);
        await release(lock);
      }
      return count;
    };
    const counts = await Promise.all([
      worker(
        'original-1',
        () => call(original, 'waitAcquireLock', 'hot', 2000, 3000),
        (l) => call(original, 'releaseLock', l),
      ),
      worker(
        'original-2',
        () => call(original, 'waitAcquireLock', 'hot', 2000, 3000),
        (l) => call(original, 'releaseLock', l),
      ),
      worker(
        'drop-in-1',
        () => dropIn.waitAcquireLock('hot', 2000, 3000),
        (l) => dropIn.releaseLock(l),
      ),
      worker(
        'drop-in-2',
        () => dropIn.waitAcquireLock('hot', 2000, 3000),
        (l) => dropIn.releaseLock(l),
      ),
    ]);
    checker.assertNoOverlap();
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(4);
  });
});
