import { getEventListeners } from 'node:events';
import { pubsubChannels } from '@redis-locks/testing';
import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { expectLockError, expectLockFailure, failureOf, sleep, waitUntil } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

/** 7. acquire() waits, within its bounds, and can be cancelled. */
export function waitingGroup(f: SuiteFixture): void {
  describeGroup(f, conformanceGroups.waiting, () => {
    it('acquires soon after the holder releases, well before the holder would expire', async () => {
      const resource = f.resource('wait-release');
      const holder = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      let grantedAt: number | undefined;
      const waiting = f.other.acquire(resource, { ttl: f.t(2000), waitTimeout: f.t(4000) });
      void waiting.then(
        () => {
          grantedAt = performance.now();
        },
        () => undefined,
      );
      await sleep(f.t(100));
      expect(grantedAt, 'the waiter was granted a held lock').toBeUndefined();
      const releasedAt = performance.now();
      expect(await holder!.release()).toBe('released');
      const lock = await waiting;
      try {
        expect(grantedAt! - releasedAt).toBeLessThan(f.t(1500));
        expect(grantedAt!).toBeGreaterThanOrEqual(releasedAt);
      } finally {
        await lock.release();
      }
    });

    it('with waitTimeout: Infinity, acquires a free resource and waits out a holder', async () => {
      const resource = f.resource('wait-forever');
      const free = await f.strategy.acquire(resource, {
        ttl: f.t(2000),
        waitTimeout: Number.POSITIVE_INFINITY,
      });
      const waiting = f.other.acquire(resource, { ttl: f.t(2000), waitTimeout: Number.POSITIVE_INFINITY });
      await sleep(f.t(150));
      expect(await free.release()).toBe('released');
      expect(await (await waiting).release()).toBe('released');
    });

    it('acquires after the holder expires', async () => {
      const resource = f.resource('wait-expire');
      const ttl = f.t(300);
      const heldAt = performance.now();
      await f.strategy.tryAcquire(resource, { ttl });
      const lock = await f.other.acquire(resource, { ttl: f.t(2000), waitTimeout: f.t(3000) });
      const elapsed = performance.now() - heldAt;
      try {
        expect(elapsed).toBeGreaterThanOrEqual(ttl - 50);
        expect(elapsed).toBeLessThan(ttl + f.t(1500));
      } finally {
        await lock.release();
      }
    });

    it('rejects with LockTimeoutError close to waitTimeout and leaves no lock behind', async () => {
      const resource = f.resource('wait-timeout');
      const holder = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      const waitTimeout = f.t(300);
      const started = performance.now();
      const error = await failureOf(
        () => f.other.acquire(resource, { ttl: f.t(5000), waitTimeout }),
        'acquire',
      );
      const elapsed = performance.now() - started;
      expectLockError(error, 'LOCK_TIMEOUT');
      expect(elapsed).toBeGreaterThanOrEqual(waitTimeout - 5);
      expect(elapsed).toBeLessThanOrEqual(waitTimeout + f.t(500));
      await holder!.release();
      await sleep(f.t(200));
      expect(
        await f.strategy.inspect(resource),
        'a waiter that gave up must not take the lock later',
      ).toBeNull();
    });

    it('rejects with LockAbortedError promptly when the signal aborts, and leaves no lock behind', async () => {
      const resource = f.resource('wait-abort');
      const holder = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      const controller = new AbortController();
      const waiting = failureOf(
        () =>
          f.other.acquire(resource, { ttl: f.t(5000), waitTimeout: f.t(4000), signal: controller.signal }),
        'aborted acquire',
      );
      await sleep(f.t(150));
      const abortedAt = performance.now();
      controller.abort(new Error('caller gave up'));
      const error = await waiting;
      expect(performance.now() - abortedAt).toBeLessThan(f.t(500));
      expectLockError(error, 'LOCK_ABORTED');
      expect((error as Error).name).toBe('LockAbortedError');
      await holder!.release();
      await sleep(f.t(200));
      expect(await f.strategy.inspect(resource), 'an aborted waiter must not take the lock later').toBeNull();
    });

    it('rejects an already-aborted signal with LockAbortedError before any command reaches Redis', async () => {
      const signal = AbortSignal.abort();
      await f.expectNoCommands(async (strategy) => {
        await expectLockFailure(
          () => strategy.acquire(f.resource('pre-aborted'), { ttl: f.t(1000), signal }),
          'LOCK_ABORTED',
          'acquire with an aborted signal',
        );
        await expectLockFailure(
          () => strategy.using(f.resource('pre-aborted'), { ttl: f.t(1000), signal }, async () => 1),
          'LOCK_ABORTED',
          'using with an aborted signal',
        );
      });
    });

    it('bounds the attempts by retry.maxAttempts (LockTimeoutError.attempts)', async () => {
      const resource = f.resource('wait-attempts');
      const holder = await f.strategy.tryAcquire(resource, { ttl: f.t(10_000) });
      try {
        for (const maxAttempts of [1, 3]) {
          const started = performance.now();
          const error = await expectLockFailure(
            () =>
              f.other.acquire(resource, {
                ttl: f.t(1000),
                waitTimeout: f.t(8000),
                retry: { delay: f.t(30), jitter: 0, maxAttempts },
              }),
            'LOCK_TIMEOUT',
            `acquire with maxAttempts ${maxAttempts}`,
          );
          expect((error as { attempts?: unknown }).attempts).toBe(maxAttempts);
          expect(performance.now() - started, 'gave up long before waitTimeout').toBeLessThan(f.t(4000));
        }
      } finally {
        await holder!.release();
      }
    });

    it("leaves no listeners on the caller's signal", async () => {
      const resource = f.resource('wait-listeners');
      const controller = new AbortController();
      const first = await f.strategy.acquire(resource, { ttl: f.t(5000), signal: controller.signal });
      await expectLockFailure(
        () => f.other.acquire(resource, { ttl: f.t(1000), waitTimeout: f.t(150), signal: controller.signal }),
        'LOCK_TIMEOUT',
        'acquire of a held lock',
      );
      const waiting = f.other.acquire(resource, {
        ttl: f.t(1000),
        waitTimeout: f.t(3000),
        signal: controller.signal,
      });
      await sleep(f.t(50));
      await first.release();
      await (await waiting).release();
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('waiters listen on a channel under the namespace (wakeup: pubsub)', async (ctx) => {
      if (f.strategy.capabilities.wakeup !== 'pubsub') ctx.skip('capabilities.wakeup is not pubsub');
      const resource = f.resource('wait-pubsub');
      const holder = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      const waiting = f.other.acquire(resource, { ttl: f.t(2000), waitTimeout: f.t(4000) });
      try {
        const subscribed = await waitUntil(
          // On a Cluster the channel lives on the node that owns its slot: look on every node.
          async () =>
            (await Promise.all(f.urls.map((url) => pubsubChannels(url, `${f.namespace}*`)))).some(
              (channels) => channels.length > 0,
            ),
          f.t(1000),
        );
        expect(subscribed, 'no pub/sub channel under the namespace while a waiter waits').toBe(true);
      } finally {
        await holder!.release();
        await (await waiting).release();
      }
    });

    it('hands the lock to waiters in arrival order (fair)', async (ctx) => {
      if (!f.strategy.capabilities.fair) ctx.skip('capabilities.fair is false');
      const resource = f.resource('wait-fair');
      const holder = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      const order: number[] = [];
      const waiters: Promise<void>[] = [];
      for (const id of [1, 2, 3]) {
        waiters.push(
          f.other.acquire(resource, { ttl: f.t(3000), waitTimeout: f.t(5000) }).then(async (lock) => {
            order.push(id);
            await sleep(10);
            await lock.release();
          }),
        );
        await sleep(f.t(100));
      }
      await holder!.release();
      await Promise.all(waiters);
      expect(order).toEqual([1, 2, 3]);
    });
  });
}
