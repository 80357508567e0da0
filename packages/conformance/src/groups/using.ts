import type { Lock } from '@redis-locks/core';
import { lastCommandOf } from '@redis-locks/testing';
import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { expectLockError, expectRefused, sleep, waitUntil, watchUnhandledRejections } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

/** 9. using(): run under the lock, release afterwards, auto-extend, signal loss, never crash. */
export function usingGroup(f: SuiteFixture): void {
  describeGroup(f, conformanceGroups.using, () => {
    it('runs fn with (signal, lock) under the lock and resolves its result', async () => {
      const resource = f.resource('using');
      const result = await f.strategy.using(resource, { ttl: f.t(3000) }, async (signal, lock) => {
        expect(signal).toBeInstanceOf(AbortSignal);
        expect(signal.aborted).toBe(false);
        expect(lock.resource).toBe(resource);
        await expectRefused(f.other.tryAcquire(resource, { ttl: f.t(1000) }));
        return 42;
      });
      expect(result).toBe(42);
    });

    it('releases the lock after fn resolves', async () => {
      const resource = f.resource('using-release');
      let seen: Lock | undefined;
      await f.strategy.using(resource, { ttl: f.t(5000) }, async (_signal, lock) => {
        seen = lock;
      });
      expect(seen!.signal.aborted).toBe(true);
      expect(await f.strategy.inspect(resource)).toBeNull();
      const next = await f.other.tryAcquire(resource, { ttl: f.t(1000) });
      expect(next).not.toBeNull();
      await next!.release();
    });

    it("releases the lock when fn throws, and rethrows fn's own error", async () => {
      const resource = f.resource('using-throw');
      const failure = new Error('the routine failed');
      await expect(
        f.strategy.using(resource, { ttl: f.t(5000) }, async () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await f.strategy.inspect(resource)).toBeNull();
    });

    it("rethrows fn's error, not a release problem, when the lock was lost inside fn", async () => {
      const resource = f.resource('using-lost-throw');
      const failure = new Error('the routine failed after losing the lock');
      let deleted = 0;
      await expect(
        f.strategy.using(resource, { ttl: f.t(5000) }, async () => {
          deleted = await f.steal(resource);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(deleted, 'could not find the lock key under the namespace').toBeGreaterThan(0);
    });

    it('keeps the lock through 3x ttl of work with autoExtend', async () => {
      const resource = f.resource('using-autoextend');
      // Extended every 300 ms: survives event-loop stalls of a loaded CI machine, yet 3×ttl of work would
      // lose the lock twice over without auto-extension.
      const ttl = f.t(900);
      let stolen = 0;
      let checks = 0;
      const aborted = await f.strategy.using(resource, { ttl, autoExtend: true }, async (signal) => {
        const end = performance.now() + ttl * 3 + f.t(100);
        while (performance.now() < end) {
          await sleep(f.t(50));
          checks++;
          const thief = await f.other.tryAcquire(resource, { ttl: f.t(1000) });
          if (thief) {
            stolen++;
            await thief.release();
          }
        }
        return signal.aborted;
      });
      expect(checks).toBeGreaterThan(5);
      expect(stolen, 'another instance acquired the auto-extended lock').toBe(0);
      expect(aborted).toBe(false);
      expect(await f.strategy.inspect(resource)).toBeNull();
    });

    it("aborts fn's signal with LockLostError within about one extension interval when the lock is stolen", async () => {
      const resource = f.resource('using-stolen');
      // Extension every 400 ms; a strategy that only noticed the loss at expiry would take ~1000 ms.
      const ttl = f.t(1200);
      const interval = ttl / 3;
      const stopWatching = watchUnhandledRejections();
      let unhandled: string[] = [];
      let stolenAt = 0;
      let abortedAt = 0;
      let deleted = 0;
      let thief: Lock | null = null;
      let reason: unknown;
      try {
        const result = await f.strategy.using(resource, { ttl, autoExtend: true }, async (signal) => {
          signal.addEventListener('abort', () => {
            abortedAt = performance.now();
            reason = signal.reason;
          });
          await sleep(interval * 1.5);
          expect(signal.aborted, 'aborted before the lock was stolen').toBe(false);
          deleted = await f.steal(resource);
          stolenAt = performance.now();
          thief = await f.other.tryAcquire(resource, { ttl: f.t(5000) });
          await waitUntil(() => signal.aborted, ttl * 2);
          return 'finished';
        });
        expect(result).toBe('finished');
        expect(deleted, 'could not find the lock key under the namespace').toBeGreaterThan(0);
        expect(thief, 'the stolen resource should be free for another owner').not.toBeNull();
        expect(abortedAt, 'the signal never aborted').toBeGreaterThan(0);
        expect(abortedAt - stolenAt, 'time from the theft to the abort').toBeLessThan(interval + f.t(300));
        expectLockError(reason, 'LOCK_LOST', 'signal.reason');
        await expectRefused(
          f.strategy.tryAcquire(resource, { ttl: f.t(1000) }),
          'the thief must keep the lock',
        );
      } finally {
        unhandled = stopWatching();
        await (thief as Lock | null)?.release();
      }
      expect(unhandled, 'unhandled rejections during the test').toEqual([]);
    });

    it('never surfaces auto-extension failures as unhandled rejections', async () => {
      const ttl = f.t(240);
      const stopWatching = watchUnhandledRejections();
      let unhandled: string[] = [];
      try {
        // fn ignores the loss and keeps working past several failed extension rounds.
        const lost = f.resource('using-ignore-loss');
        const outcome = await f.strategy.using(lost, { ttl, autoExtend: true }, async (signal) => {
          await sleep(ttl / 6);
          await f.steal(lost);
          await sleep(ttl * 2);
          return signal.aborted;
        });
        expect(outcome).toBe(true);
        // fn releases the lock itself while auto-extension runs, then keeps going.
        const early = f.resource('using-early-release');
        await f.strategy.using(early, { ttl, autoExtend: true }, async (_signal, lock) => {
          await sleep(ttl / 2);
          expect(await lock.release()).toBe('released');
          await sleep(ttl);
        });
        expect(await f.strategy.inspect(early)).toBeNull();
        await sleep(f.t(50));
      } finally {
        unhandled = stopWatching();
      }
      expect(unhandled, 'unhandled rejections during the test').toEqual([]);
    });

    it('stops extending once fn returns: no command follows the release', async () => {
      const clients = await f.openClients();
      const strategy = await f.createOn(clients);
      const ttl = f.t(300);
      const interval = ttl / 3;
      for (const work of [interval - 5, interval, interval + 5]) {
        const resource = f.resource('using-stop');
        await strategy.using(resource, { ttl, autoExtend: true }, () => sleep(work));
        const ids = await Promise.all(clients.map((c) => c.clientId()));
        await sleep(interval * 2);
        for (const [node, id] of ids.entries()) {
          expect(await lastCommandOf(f.urls[node]!, id), 'a command was sent after using() resolved').toBe(
            'client|id',
          );
        }
        expect(await f.strategy.inspect(resource)).toBeNull();
      }
      await strategy.close();
    });
  });
}
