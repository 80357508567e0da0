import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { expectLockFailure, expectRefused } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

/** 2. A held resource is not granted again; resources are independent. */
export function exclusivityGroup(f: SuiteFixture): void {
  describeGroup(f, conformanceGroups.exclusivity, () => {
    it('resolves null for a second tryAcquire of a held resource', async () => {
      const resource = f.resource('excl');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      expect(lock).not.toBeNull();
      try {
        await expectRefused(f.strategy.tryAcquire(resource, { ttl: f.t(5000) }));
      } finally {
        await lock!.release();
      }
    });

    it('refuses a held resource to another strategy instance on another connection', async () => {
      const resource = f.resource('excl-other');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      expect(lock).not.toBeNull();
      try {
        await expectRefused(f.other.tryAcquire(resource, { ttl: f.t(5000) }));
        const mine = await f.other.tryAcquire(f.resource('excl-other-free'), { ttl: f.t(5000) });
        expect(mine).not.toBeNull();
        await expectRefused(f.strategy.tryAcquire(mine!.resource, { ttl: f.t(5000) }));
        await mine!.release();
      } finally {
        await lock!.release();
      }
    });

    it('keeps different resources independent', async () => {
      const a = await f.strategy.tryAcquire(f.resource('indep-a'), { ttl: f.t(5000) });
      const b = await f.strategy.tryAcquire(f.resource('indep-b'), { ttl: f.t(5000) });
      try {
        expect(a).not.toBeNull();
        expect(b).not.toBeNull();
        expect(await a!.release()).toBe('released');
        await expectRefused(f.other.tryAcquire(b!.resource, { ttl: f.t(1000) }));
      } finally {
        await b?.release();
      }
    });

    it('rejects acquire with waitTimeout 0 on a held resource with LockTimeoutError', async () => {
      const resource = f.resource('excl-timeout');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      try {
        const error = await expectLockFailure(
          () => f.other.acquire(resource, { ttl: f.t(1000), waitTimeout: 0 }),
          'LOCK_TIMEOUT',
          'acquire(waitTimeout: 0) of a held resource',
        );
        expect((error as Error).name).toBe('LockTimeoutError');
        expect(await f.strategy.inspect(resource)).not.toBeNull();
      } finally {
        await lock!.release();
      }
    });

    it('makes exactly one attempt in tryAcquire, ignoring waitTimeout', async () => {
      const resource = f.resource('excl-try');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      try {
        const started = performance.now();
        await expectRefused(f.other.tryAcquire(resource, { ttl: f.t(1000), waitTimeout: f.t(3000) }));
        expect(performance.now() - started).toBeLessThan(f.t(1000));
      } finally {
        await lock!.release();
      }
    });

    it('holds the lock on a majority of nodes (multiNode)', async (ctx) => {
      if (!f.strategy.capabilities.multiNode) ctx.skip('capabilities.multiNode is false');
      const resource = f.resource('quorum');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      expect(lock).not.toBeNull();
      try {
        expect(await f.nodesHolding(resource)).toBeGreaterThanOrEqual(Math.floor(f.urls.length / 2) + 1);
      } finally {
        await lock!.release();
      }
      expect(await f.nodesHolding(resource)).toBe(0);
    });
  });
}
