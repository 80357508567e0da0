import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { forgeLock, sleep } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

/** 4. What release does and reports. */
export function releaseGroup(f: SuiteFixture): void {
  describeGroup(f, conformanceGroups.release, () => {
    it('resolves released and frees the resource', async () => {
      const resource = f.resource('release');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      expect(await lock!.release()).toBe('released');
      const next = await f.other.tryAcquire(resource, { ttl: f.t(1000) });
      expect(next).not.toBeNull();
      await next!.release();
    });

    it('is idempotent: releasing the same handle again resolves released', async () => {
      const resource = f.resource('release-twice');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      expect(await lock!.release()).toBe('released');
      expect(await lock!.release()).toBe('released');
      expect(await f.strategy.release(lock!)).toBe('released');
    });

    it('resolves one result for concurrent releases of one handle', async () => {
      const resource = f.resource('release-concurrent');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      const results = await Promise.all([lock!.release(), f.strategy.release(lock!), lock!.release()]);
      expect(results).toEqual(['released', 'released', 'released']);
      expect(await f.strategy.inspect(resource)).toBeNull();
    });

    it('resolves expired when the lock expired before the release', async () => {
      const ttl = f.t(120);
      const lock = await f.strategy.tryAcquire(f.resource('release-expired'), { ttl });
      await sleep(ttl + f.t(100));
      expect(await lock!.release()).toBe('expired');
    });

    it('aborts lock.signal on release', async () => {
      const lock = await f.strategy.tryAcquire(f.resource('release-signal'), { ttl: f.t(5000) });
      expect(lock!.signal.aborted).toBe(false);
      await lock!.release();
      expect(lock!.signal.aborted).toBe(true);
    });

    it('lets another strategy instance release a lock with the right token (the token is the ownership)', async () => {
      const resource = f.resource('release-other');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      expect(await f.other.release(forgeLock(resource, { template: lock!, token: lock!.token }))).toBe(
        'released',
      );
      expect(await f.strategy.inspect(resource)).toBeNull();
      const next = await f.strategy.tryAcquire(resource, { ttl: f.t(1000) });
      expect(next).not.toBeNull();
      await next!.release();
      await lock!.release();
    });
  });
}
