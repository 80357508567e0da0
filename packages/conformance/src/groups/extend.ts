import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { expectLockFailure, expectRefused, sleep } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

/** 6. Extension keeps a held lock alive and never lies about a lost one. */
export function extendGroup(f: SuiteFixture): void {
  describeGroup(f, conformanceGroups.extend, () => {
    it('resolves while held and moves expiresAt forward', async () => {
      const lock = await f.strategy.tryAcquire(f.resource('extend'), { ttl: f.t(1000) });
      try {
        const before = lock!.expiresAt;
        await sleep(f.t(60));
        const extended = await lock!.extend(f.t(3000));
        expect(extended.expiresAt).toBeGreaterThan(before);
        expect(lock!.expiresAt).toBeGreaterThan(before);
        expect(extended.expiresAt).toBeGreaterThanOrEqual(Date.now() + f.t(3000) * 0.95 - f.t(200));
      } finally {
        await lock!.release();
      }
    });

    it('resolves, through strategy.extend, a Lock for the same resource and token', async () => {
      const lock = await f.strategy.tryAcquire(f.resource('extend-same'), { ttl: f.t(1000) });
      try {
        const extended = await f.strategy.extend(lock!, f.t(2000));
        expect(extended.resource).toBe(lock!.resource);
        expect(extended.token).toBe(lock!.token);
        expect(extended.signal.aborted).toBe(false);
      } finally {
        await lock!.release();
      }
    });

    it('keeps the key alive past the original ttl', async () => {
      const resource = f.resource('extend-survive');
      const ttl = f.t(250);
      const lock = await f.strategy.tryAcquire(resource, { ttl });
      try {
        await sleep(ttl / 2);
        await lock!.extend(f.t(1500));
        await sleep(ttl / 2 + f.t(150)); // now well past the original expiry
        await expectRefused(f.other.tryAcquire(resource, { ttl: f.t(1000) }));
        expect((await f.other.inspect(resource))?.ttl).toBeGreaterThan(0);
        expect(await lock!.release()).toBe('released');
      } finally {
        await lock!.release();
      }
    });

    it('rejects with LockLostError after expiry and aborts lock.signal', async () => {
      const resource = f.resource('extend-expired');
      const ttl = f.t(120);
      const lock = await f.strategy.tryAcquire(resource, { ttl });
      await sleep(ttl + f.t(100));
      await expectLockFailure(() => lock!.extend(f.t(5000)), 'LOCK_LOST', 'extend after expiry');
      expect(lock!.signal.aborted).toBe(true);
      expect(
        await f.strategy.inspect(resource),
        'the failed extension must not re-create the lock',
      ).toBeNull();
    });

    it('rejects with LockLostError after someone else took the resource', async () => {
      const resource = f.resource('extend-taken');
      const ttl = f.t(120);
      const lock = await f.strategy.tryAcquire(resource, { ttl });
      await sleep(ttl + f.t(100));
      const current = await f.other.tryAcquire(resource, { ttl: f.t(4000) });
      expect(current).not.toBeNull();
      try {
        await expectLockFailure(
          () => lock!.extend(f.t(5000)),
          'LOCK_LOST',
          'extend of a lock someone else holds',
        );
        expect(lock!.signal.aborted).toBe(true);
        expect(current!.signal.aborted).toBe(false);
        await expectRefused(f.strategy.tryAcquire(resource, { ttl: f.t(1000) }));
        expect(await current!.release()).toBe('released');
      } finally {
        await current!.release();
      }
    });

    it('rejects with LockLostError after the lock was released', async () => {
      const resource = f.resource('extend-released');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(2000) });
      await lock!.release();
      await expectLockFailure(() => lock!.extend(f.t(2000)), 'LOCK_LOST', 'extend after release');
      expect(await f.strategy.inspect(resource)).toBeNull();
    });
  });
}
