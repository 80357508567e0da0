import { createHash } from 'node:crypto';
import { type ClientKind, clientKinds, openClusterClient } from '@redis-locks/conformance';
import { isLockError } from '@redis-locks/core';
import { pubsubChannels, startCluster, uniqueKey } from '@redis-locks/testing';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSemaphore } from '../src/index.js';
import IoredfourLock from '../src/ioredfour.js';
import { sleep } from './helpers.js';

type Started = Awaited<ReturnType<typeof startCluster>>;

const awkward = ['plain', '}', '}{', '{a}', 'x{y}z', '*?[]', '%7D'];

describe('semaphore on a 3-master Redis Cluster (one replica each)', () => {
  let cluster: Started;
  beforeAll(async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const clients = (kind: ClientKind) => openClusterClient(kind, cluster.rootNodes);
  const kinds = clientKinds;
  const allShardChannels = async (pattern: string) =>
    (await Promise.all(cluster.nodes.map((node) => pubsubChannels(node.url, pattern)))).flat();

  it.each(kinds)('locks awkward resources without CROSSSLOT errors (%s)', async (kind) => {
    const { client, close } = await clients(kind);
    const locks = createSemaphore({ client, namespace: uniqueKey(`sem-cluster-${kind}`), fair: true });
    try {
      for (const resource of awkward) {
        const lock = await locks.acquire(resource, { ttl: 5000 });
        expect(await locks.tryAcquire(resource, { ttl: 5000 })).toBeNull();
        expect((await locks.inspect(resource))?.fencingToken).toBe(lock.fencingToken);
        await lock.extend(5000);
        expect(await lock.release()).toBe('released');
      }
    } finally {
      await locks.close();
      await close();
    }
  });

  for (const fair of [false, true]) {
    it.each(kinds)(`wakes waiters over sharded pub/sub, per resource (%s, fair: ${fair})`, async (kind) => {
      const { client, close } = await clients(kind);
      const namespace = uniqueKey(`sem-cluster-wake-${kind}`);
      const a = createSemaphore({ client, namespace, fair, fallbackInterval: 5000 });
      const b = createSemaphore({ client, namespace, fair, fallbackInterval: 5000 });
      try {
        const holders = await Promise.all(awkward.slice(0, 3).map((r) => a.acquire(r, { ttl: 10_000 })));
        const waiting = awkward.slice(0, 3).map((r) => b.acquire(r, { ttl: 2000, waitTimeout: 8000 }));
        // One sharded channel per resource, each in its resource's slot (polled: the machine may be busy).
        const expected = awkward
          .slice(0, 3)
          .map((r) => b.keysOf(r).channel)
          .sort();
        let channels: string[] = [];
        for (let i = 0; i < 60 && channels.join('|') !== expected.join('|'); i++) {
          await sleep(50);
          channels = (await allShardChannels(`${namespace}*`)).sort();
        }
        expect(channels).toEqual(expected);
        const started = performance.now();
        await Promise.all(holders.map((h) => h.release()));
        const locks = await Promise.all(waiting);
        expect(performance.now() - started).toBeLessThan(2000);
        await Promise.all(locks.map((l) => l.release()));
      } finally {
        await Promise.all([a.close(), b.close()]);
        await close();
      }
    });
  }

  /** The index of the master that holds `key` (the others answer MOVED). */
  const masterOf = async (key: string) => {
    for (const [i, node] of cluster.nodes.entries()) {
      const direct = new Redis(node.url);
      try {
        if ((await direct.exists(key).catch(() => 0)) === 1) return i;
      } finally {
        direct.disconnect();
      }
    }
    throw new Error(`no master holds ${key}`);
  };

  it.each(kinds)('replication check: WAIT goes to the primary that owns the lock (%s)', async (kind) => {
    const { client, close } = await clients(kind);
    const locks = createSemaphore({
      client,
      namespace: uniqueKey(`sem-cluster-wait-${kind}`),
      replication: { minReplicas: 1, timeout: 300 },
    });
    try {
      // Every master: its replica has the lock once acquire resolves.
      const owners = new Map<number, string>();
      for (const resource of awkward) {
        const lock = await locks.acquire(resource, { ttl: 10_000 });
        const key = locks.keysOf(resource).lock;
        const owner = await masterOf(key);
        owners.set(owner, resource);
        const replica = new Redis(cluster.replicas[owner]![0]!.url);
        try {
          await replica.call('READONLY');
          expect(await replica.hget(key, 'token')).toBe(lock.token);
        } finally {
          replica.disconnect();
        }
        await lock.release();
      }
      expect(owners.size).toBe(3);
      // A paused replica fails the check on its own master only, and the lock is rolled back there.
      const [stalled, stalledResource] = [...owners][0]!;
      const [, healthyResource] = [...owners][1]!;
      await cluster.replicas[stalled]![0]!.pause();
      try {
        const error = await locks
          .acquire(stalledResource, { ttl: 5000, waitTimeout: 0 })
          .catch((e: unknown) => e);
        expect(isLockError(error, 'LOCK_REPLICATION')).toBe(true);
        expect(await locks.inspect(stalledResource)).toBeNull();
        const healthy = await locks.acquire(healthyResource, { ttl: 5000, waitTimeout: 0 });
        await healthy.release();
      } finally {
        await cluster.replicas[stalled]![0]!.resume();
      }
    } finally {
      await locks.close();
      await close();
    }
  });

  describe('ioredfour drop-in in cluster mode', () => {
    const constructors = {
      'cluster: nodes[]': (namespace: string) => new IoredfourLock({ cluster: cluster.rootNodes, namespace }),
      'cluster: { nodes, options }': (namespace: string) =>
        new IoredfourLock({ cluster: { nodes: cluster.rootNodes, options: {} }, namespace }),
      'cluster: true with redis = nodes': (namespace: string) =>
        new IoredfourLock({ cluster: true, redis: cluster.rootNodes, namespace }),
    };
    it.each(Object.keys(constructors) as (keyof typeof constructors)[])(
      'uses the {ior4_<hash>} layout and sharded release channel (%s)',
      async (form) => {
        const namespace = uniqueKey('ior4');
        const tag = `{ior4_${createHash('sha256').update(namespace).digest('hex').slice(-12)}}`;
        const a = constructors[form](namespace);
        const b = new IoredfourLock({ cluster: cluster.rootNodes, namespace, fallbackInterval: 5000 });
        const admin = new Cluster(cluster.rootNodes);
        try {
          const held = await a.acquireLock('job', 10_000);
          expect(held.success).toBe(true);
          expect(await admin.hget(`${namespace}:${tag}:job`, 'index')).toBe(String(held.index));
          expect(await admin.get(`${namespace}:${tag}:index`)).toBe(String(held.index));
          const started = performance.now();
          const waiting = b.waitAcquireLock('job', 5000, 8000);
          let channels: string[] = [];
          for (let i = 0; i < 60 && channels.length === 0; i++) {
            await sleep(50);
            channels = await allShardChannels(`${namespace}*`);
          }
          expect(channels).toEqual([`${namespace}:${tag}-release`]);
          await a.releaseLock(held);
          const acquired = await waiting;
          expect(acquired.success).toBe(true);
          expect(performance.now() - started).toBeLessThan(2000);
          expect(await b.releaseLock(acquired)).toMatchObject({ result: 'released' });
        } finally {
          await Promise.all([a.quit(), b.quit()]);
          await admin.quit();
        }
      },
    );

    it('accepts a given node-redis cluster client', async () => {
      const { client, close } = await clients('node-redis');
      const namespace = uniqueKey('ior4-given');
      const lock = new IoredfourLock({ redis: client, namespace });
      try {
        const held = await lock.acquireLock('job', 5000);
        expect(held.success).toBe(true);
        expect((await lock.acquireLock('job', 5000)).success).toBe(false);
        expect(await lock.releaseLock(held)).toMatchObject({ result: 'released' });
      } finally {
        await lock.quit();
        await close();
      }
    });

    it('cluster + minReplications: acknowledged by the replica, replicationFailure when it stalls', async () => {
      const namespace = uniqueKey('ior4-wait');
      const lock = new IoredfourLock({
        cluster: cluster.rootNodes,
        namespace,
        minReplications: 1,
        replicationTimeout: 300,
      });
      try {
        const held = await lock.acquireLock('job', 5000);
        expect(held.success).toBe(true);
        await lock.releaseLock(held);
        const tag = `{ior4_${createHash('sha256').update(namespace).digest('hex').slice(-12)}}`;
        const owner = await masterOf(`${namespace}:${tag}:index`);
        await cluster.replicas[owner]![0]!.pause();
        try {
          expect(await lock.acquireLock('job', 5000)).toMatchObject({
            success: false,
            replicationFailure: true,
          });
        } finally {
          await cluster.replicas[owner]![0]!.resume();
        }
        expect((await lock.acquireLock('job', 5000)).success).toBe(true);
      } finally {
        await lock.quit();
      }
    });
  });
});
