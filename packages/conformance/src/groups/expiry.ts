import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { expectRefused, sleep } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

/** 5. Locks expire after their ttl; inspect tells the truth. */
export function expiryGroup(f: SuiteFixture): void {
  describeGroup(f, conformanceGroups.expiry, () => {
    it('lets another owner acquire after the ttl, not before', async () => {
      const resource = f.resource('expiry');
      const ttl = f.t(300);
      const lock = await f.strategy.tryAcquire(resource, { ttl });
      await sleep(ttl / 3);
      await expectRefused(f.other.tryAcquire(resource, { ttl: f.t(1000) }));
      await sleep(ttl - ttl / 3 + f.t(100));
      const next = await f.other.tryAcquire(resource, { ttl: f.t(1000) });
      expect(next, 'the lock should have expired').not.toBeNull();
      await next!.release();
      expect(lock!.expiresAt).toBeLessThan(Date.now());
    });

    it('inspect reports null for a free resource', async () => {
      expect(await f.strategy.inspect(f.resource('inspect-free'))).toBeNull();
    });

    it('inspect reports the resource and a ttl within (0, ttl] while held', async () => {
      const resource = f.resource('inspect-held');
      const ttl = f.t(4000);
      const lock = await f.strategy.tryAcquire(resource, { ttl });
      try {
        const info = await f.other.inspect(resource);
        expect(info).not.toBeNull();
        expect(info!.resource).toBe(resource);
        expect(info!.ttl).toBeGreaterThan(0);
        expect(info!.ttl).toBeLessThanOrEqual(ttl);
      } finally {
        await lock!.release();
      }
    });

    it('inspect reports null after release and after expiry', async () => {
      const released = await f.strategy.tryAcquire(f.resource('inspect-released'), { ttl: f.t(4000) });
      await released!.release();
      expect(await f.strategy.inspect(released!.resource)).toBeNull();
      const ttl = f.t(120);
      const expiring = await f.strategy.tryAcquire(f.resource('inspect-expired'), { ttl });
      await sleep(ttl + f.t(100));
      expect(await f.strategy.inspect(expiring!.resource)).toBeNull();
    });

    it('never promises more than Redis holds: expiresAt <= now + inspected ttl', async () => {
      const resource = f.resource('expires-honest');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(2000) });
      try {
        await sleep(f.t(100));
        const info = await f.strategy.inspect(resource);
        expect(lock!.expiresAt).toBeLessThanOrEqual(Date.now() + info!.ttl + 50);
      } finally {
        await lock!.release();
      }
    });
  });
}
