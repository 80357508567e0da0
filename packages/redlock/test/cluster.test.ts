import { clientKinds, openClusterClient } from '@redis-locks/conformance';
import { type Nodes, startCluster, startNodes } from '@redis-locks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedlock } from '../src/index.js';
import { ioredis, nodeRedis, quit, sleep } from './helpers.js';

type Started = Awaited<ReturnType<typeof startCluster>>;

const awkward = ['plain', '}', '}{', '{a}', 'x{y}z', '*?[]', '%7D'];

// One of the three independent Redlock nodes is a 3-master Cluster; the other two are standalone servers.
describe('redlock with a Cluster as one of its nodes', () => {
  let cluster: Started;
  let standalone: Nodes;
  const opened: unknown[] = [];

  beforeAll(async () => {
    [cluster, standalone] = await Promise.all([startCluster({ masters: 3 }), startNodes(2)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(opened.map(quit));
    await Promise.all([cluster?.stop(), standalone?.stop()]);
  });

  it.each(clientKinds)(
    'locks awkward resources without CROSSSLOT errors and wakes waiters through a %s cluster client',
    async (kind) => {
      const { client: clusterClient } = await openClusterClient(kind, cluster.rootNodes);
      const others = [await nodeRedis(standalone.nodes[0]!.url), ioredis(standalone.nodes[1]!.url)];
      opened.push(clusterClient, ...others);
      const clients = [clusterClient, ...others];
      const a = createRedlock({ clients, namespace: `rl-cluster-${kind}` });
      const b = createRedlock({ clients, namespace: `rl-cluster-${kind}` });
      try {
        for (const resource of awkward) {
          const lock = await a.acquire(resource, { ttl: 5000 });
          expect(await b.tryAcquire(resource, { ttl: 5000 })).toBeNull();
          expect((await a.inspect(resource))?.fencingToken).toBe(lock.fencingToken);
          await lock.extend(5000);
          expect(await lock.release()).toBe('released');
        }
        // A waiter with a long retry delay is woken by the release notification (sharded on the cluster).
        const holder = await a.acquire('handoff', { ttl: 10_000 });
        const waiting = b.acquire('handoff', {
          ttl: 5000,
          waitTimeout: 8000,
          retry: { delay: 4000, jitter: 0 },
        });
        await sleep(200);
        const released = performance.now();
        await holder.release();
        const next = await waiting;
        expect(performance.now() - released).toBeLessThan(1500);
        expect(next.fencingToken!).toBeGreaterThan(holder.fencingToken!);
        await next.release();
      } finally {
        await a.close();
        await b.close();
      }
    },
  );
});
