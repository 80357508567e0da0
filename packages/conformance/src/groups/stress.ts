import type { LockStrategy } from '@redis-locks/core';
import { FencedResource, OverlapChecker } from '@redis-locks/testing';
import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { describeError, sleep } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

const INSTANCES = 4;
const WORKERS_PER_INSTANCE = 3;
const HOT_RESOURCES = 3;

/** 12. Many owners on separate connections hammer a few resources; nobody ever shares one. */
export function stressGroup(f: SuiteFixture): void {
  describeGroup(f, conformanceGroups.stress, () => {
    const instances: LockStrategy[] = [];
    const ensureInstances = async () => {
      while (instances.length < INSTANCES) instances.push(await f.create('separate'));
      return instances;
    };

    it(`never grants a resource to two owners at once (${INSTANCES} instances x ${WORKERS_PER_INSTANCE} workers)`, async () => {
      const strategies = await ensureInstances();
      const resources = Array.from({ length: HOT_RESOURCES }, () => f.resource('hot'));
      const checker = new OverlapChecker();
      const fenced = new FencedResource();
      const fencing = f.strategy.capabilities.fencing;
      const errors: string[] = [];
      let acquisitions = 0;
      const deadline = performance.now() + f.t(1500);
      const worker = async (strategy: LockStrategy, id: string) => {
        while (performance.now() < deadline) {
          const resource = resources[Math.floor(Math.random() * resources.length)]!;
          let lock: Awaited<ReturnType<LockStrategy['acquire']>>;
          try {
            lock = await strategy.acquire(resource, {
              ttl: f.t(3000),
              waitTimeout: f.t(5000),
              retry: { delay: f.t(5), jitter: f.t(5) },
            });
          } catch (error) {
            errors.push(`${id}: acquire failed: ${describeError(error)}`);
            return;
          }
          checker.acquired(resource, lock.token);
          acquisitions++;
          if (fencing) fenced.write(resource, lock.fencingToken!, id);
          await sleep(Math.random() * 3);
          checker.released(resource, lock.token);
          const result = await lock.release();
          if (result !== 'released') errors.push(`${id}: release of ${resource} found ${result}`);
        }
      };
      await Promise.all(
        strategies.flatMap((strategy, i) =>
          Array.from({ length: WORKERS_PER_INSTANCE }, (_, w) => worker(strategy, `instance${i}/worker${w}`)),
        ),
      );
      checker.assertNoOverlap();
      expect(errors).toEqual([]);
      expect(acquisitions, 'too few acquisitions to mean anything').toBeGreaterThan(50);
      if (fencing) {
        expect(fenced.rejected, 'a holder presented a fencing token older than a previous holder').toBe(0);
        expect(fenced.staleAcceptedCount()).toBe(0);
      }
    });

    it('lets exactly one of many simultaneous tryAcquire calls win a free resource', async () => {
      const strategies = await ensureInstances();
      for (let round = 0; round < 10; round++) {
        const resource = f.resource('race');
        const attempts = strategies.flatMap((s) =>
          Array.from({ length: 5 }, () => s.tryAcquire(resource, { ttl: f.t(3000) })),
        );
        const locks = (await Promise.all(attempts)).filter((l) => l !== null);
        try {
          expect(locks.length, `round ${round}: number of winners`).toBe(1);
        } finally {
          await Promise.all(locks.map((l) => l.release()));
        }
      }
    });
  });
}
