import { clientKinds, openClusterClient } from '@redis-locks/conformance';
import { startCluster } from '@redis-locks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOptimisticLock } from '../src/index.js';

type Started = Awaited<ReturnType<typeof startCluster>>;

const awkward = ['plain', '}', '}{', '{a}', 'x{y}z', '*?[]', '%7D'];

describe('optimistic on a 3-master Redis Cluster', () => {
  let cluster: Started;
  beforeAll(async () => {
    cluster = await startCluster({ masters: 3 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it.each(clientKinds)(
    'locks awkward resources without CROSSSLOT errors through a %s cluster client',
    async (kind) => {
      const { client, close } = await openClusterClient(kind, cluster.rootNodes);
      const locks = createOptimisticLock({ client, namespace: `cluster-${kind}` });
      try {
        const fences: number[] = [];
        for (const resource of awkward) {
          const lock = await locks.acquire(resource, { ttl: 5000 });
          expect(await locks.tryAcquire(resource, { ttl: 5000 })).toBeNull();
          expect((await locks.inspect(resource))?.fencingToken).toBe(lock.fencingToken);
          await lock.extend(5000);
          expect(await lock.release()).toBe('released');
          fences.push(lock.fencingToken!);
        }
        expect(fences.every((f) => f >= 1)).toBe(true);
      } finally {
        await locks.close();
        await close();
      }
    },
  );
});
