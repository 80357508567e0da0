import type { Lock } from '@redis-locks/core';
import { expect, it, type TestContext } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { sleep } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

/** 8. Fencing tokens (only when `capabilities.fencing`). */
export function fencingGroup(f: SuiteFixture): void {
  const requireFencing = (ctx: TestContext) => {
    if (!f.strategy.capabilities.fencing) ctx.skip('capabilities.fencing is false');
  };
  const takeAndRelease = async (strategy: typeof f.strategy, resource: string): Promise<number> => {
    const lock = await strategy.tryAcquire(resource, { ttl: f.t(3000) });
    expect(lock, `${resource} should be free`).not.toBeNull();
    await lock!.release();
    return lock!.fencingToken!;
  };

  describeGroup(f, conformanceGroups.fencing, () => {
    it('issues a fencingToken that is a finite integer', async (ctx) => {
      requireFencing(ctx);
      const lock = await f.strategy.tryAcquire(f.resource('fence'), { ttl: f.t(3000) });
      try {
        expect(typeof lock!.fencingToken).toBe('number');
        expect(Number.isSafeInteger(lock!.fencingToken)).toBe(true);
      } finally {
        await lock!.release();
      }
    });

    it('issues strictly increasing tokens across successive acquisitions of one resource', async (ctx) => {
      requireFencing(ctx);
      const resource = f.resource('fence-seq');
      const tokens: number[] = [];
      for (let i = 0; i < 5; i++) tokens.push(await takeAndRelease(f.strategy, resource));
      for (let i = 1; i < tokens.length; i++) expect(tokens[i]!).toBeGreaterThan(tokens[i - 1]!);
    });

    it('issues strictly increasing tokens across two strategy instances', async (ctx) => {
      requireFencing(ctx);
      const resource = f.resource('fence-two');
      const tokens: number[] = [];
      for (let i = 0; i < 6; i++)
        tokens.push(await takeAndRelease(i % 2 === 0 ? f.strategy : f.other, resource));
      for (let i = 1; i < tokens.length; i++) expect(tokens[i]!).toBeGreaterThan(tokens[i - 1]!);
    });

    it('keeps each resource its own sequence, unaffected by other resources', async (ctx) => {
      requireFencing(ctx);
      const a = f.resource('fence-a');
      const b = f.resource('fence-b');
      const a1 = await takeAndRelease(f.strategy, a);
      const b1 = await takeAndRelease(f.strategy, b);
      for (let i = 0; i < 3; i++) await takeAndRelease(f.strategy, b);
      const a2 = await takeAndRelease(f.strategy, a);
      const b2 = await takeAndRelease(f.other, b);
      expect(a2).toBeGreaterThan(a1);
      expect(b2).toBeGreaterThan(b1);
      // Both locks held at once: each gets its own token, and both are valid numbers.
      const heldA = await f.strategy.tryAcquire(a, { ttl: f.t(3000) });
      const heldB = await f.other.tryAcquire(b, { ttl: f.t(3000) });
      try {
        expect(heldA!.fencingToken!).toBeGreaterThan(a2);
        expect(heldB!.fencingToken!).toBeGreaterThan(b2);
      } finally {
        await heldA!.release();
        await heldB!.release();
      }
    });

    it('inspect reports the latest fencing token', async (ctx) => {
      requireFencing(ctx);
      const resource = f.resource('fence-inspect');
      await takeAndRelease(f.strategy, resource);
      const lock = await f.other.tryAcquire(resource, { ttl: f.t(3000) });
      try {
        expect((await f.strategy.inspect(resource))?.fencingToken).toBe(lock!.fencingToken);
      } finally {
        await lock!.release();
      }
    });

    it('gives the owner after an expiry a larger token than the expired one', async (ctx) => {
      requireFencing(ctx);
      const resource = f.resource('fence-expiry');
      const ttl = f.t(120);
      const stale: Lock | null = await f.strategy.tryAcquire(resource, { ttl });
      await sleep(ttl + f.t(100));
      const current = await f.other.tryAcquire(resource, { ttl: f.t(3000) });
      try {
        expect(current!.fencingToken!).toBeGreaterThan(stale!.fencingToken!);
      } finally {
        await current!.release();
      }
    });
  });
}
