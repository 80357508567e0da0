import { isLockError, type LockStrategy } from '@redis-locks/core';
import { OverlapChecker, startReplicated, uniqueKey } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSemaphore, type Semaphore } from '../src/index.js';
import IoredfourLock from '../src/ioredfour.js';

type Replicated = Awaited<ReturnType<typeof startReplicated>>;

interface Opened {
  readonly client: unknown;
  ping(): Promise<unknown>;
  close(): Promise<void>;
}

const clientKinds: Record<string, (url: string) => Promise<Opened>> = {
  ioredis: async (url) => {
    const client = new Redis(url, { maxRetriesPerRequest: 2 });
    client.on('error', () => undefined);
    return { client, ping: () => client.ping(), close: async () => void (await client.quit()) };
  },
  'node-redis': async (url) => {
    const client = createClient({ url });
    client.on('error', () => undefined);
    await client.connect();
    return { client, ping: () => client.ping(), close: () => client.close() };
  },
};

describe('replication check (WAIT)', () => {
  let topology: Replicated;
  let admin: Redis;
  let replica: Redis;
  beforeAll(async () => {
    topology = await startReplicated({ replicas: 1, viaProxy: true });
    admin = new Redis(topology.primary.url);
    replica = new Redis(topology.replicas[0]!.url);
    // Right after the initial sync the first acknowledgements can be slow to come: wait for one.
    const warmUp = uniqueKey('warm-up');
    for (let i = 0; i < 20; i++) {
      await admin.set(warmUp, String(i), 'PX', 1000);
      if ((await admin.wait(1, 500)) === 1) break;
    }
  });
  afterAll(async () => {
    await admin?.quit();
    await replica?.quit();
    await topology?.stop();
  });

  for (const [kind, open] of Object.entries(clientKinds)) {
    describe(kind, () => {
      let opened: Opened;
      let semaphore: Semaphore;
      let strict: Semaphore;
      const namespace = uniqueKey(`repl-${kind}`);
      beforeAll(async () => {
        opened = await open(topology.primary.url);
        semaphore = createSemaphore({
          client: opened.client,
          namespace,
          replication: { minReplicas: 1, timeout: 1000 },
        });
        strict = createSemaphore({
          client: opened.client,
          namespace,
          replication: { minReplicas: 2, timeout: 150 },
        });
      });
      afterAll(async () => {
        topology.proxies[0]!.heal();
        await semaphore?.close();
        await strict?.close();
        await opened?.close();
      });

      it('reports a lock once a replica has it, with the ttl re-set after WAIT', async () => {
        const lock = await semaphore.acquire('ok', { ttl: 5000 });
        expect(await replica.hget(semaphore.keysOf('ok').lock, 'token')).toBe(lock.token);
        expect(await admin.pttl(semaphore.keysOf('ok').lock)).toBeGreaterThan(4900);
        expect(await lock.release()).toBe('released');
      });

      it('fair: a hand-off is confirmed through WAIT before the waiter reports the lock', async () => {
        const fair = createSemaphore({
          client: opened.client,
          namespace,
          fair: true,
          replication: { minReplicas: 1, timeout: 1000 },
        });
        try {
          const holder = await fair.acquire('handoff', { ttl: 5000 });
          const waiting = fair.acquire('handoff', { ttl: 5000, waitTimeout: 5000 });
          await new Promise((resolve) => setTimeout(resolve, 100));
          await holder.release();
          const lock = await waiting;
          expect(lock.fencingToken).toBe(holder.fencingToken! + 1);
          expect(await replica.hget(fair.keysOf('handoff').lock, 'token')).toBe(lock.token);
          await lock.release();

          // The same with the replication link cut: the hand-off never reaches the replica, so the
          // waiter's confirmation fails and the lock is rolled back rather than reported.
          const second = await fair.acquire('handoff', { ttl: 5000 });
          const refused = fair.acquire('handoff', { ttl: 5000, waitTimeout: 5000 }).catch((e: unknown) => e);
          await new Promise((resolve) => setTimeout(resolve, 100));
          topology.proxies[0]!.blackhole(true);
          try {
            await second.release();
            const error = await refused;
            expect(isLockError(error, 'LOCK_REPLICATION')).toBe(true);
            expect(await admin.exists(fair.keysOf('handoff').lock)).toBe(0);
          } finally {
            topology.proxies[0]!.heal();
            await topology.waitForReplicas();
          }
          await admin.del(fair.keysOf('handoff').fence);
        } finally {
          await fair.close();
        }
      });

      it('rolls back and rejects with LockReplicationError when too few replicas acknowledge', async () => {
        const error = await strict.acquire('few', { ttl: 5000 }).catch((e: unknown) => e);
        expect(isLockError(error, 'LOCK_REPLICATION')).toBe(true);
        expect(error).toMatchObject({ acknowledged: 1, required: 2 });
        expect(await admin.exists(strict.keysOf('few').lock)).toBe(0);
      });

      it("never blocks the caller's own client while WAIT waits on a cut replication link", async () => {
        topology.proxies[0]!.blackhole(true);
        try {
          const pending = semaphore.acquire('cut', { ttl: 5000 }).catch((e: unknown) => e);
          await new Promise((resolve) => setTimeout(resolve, 50));
          const started = performance.now();
          await opened.ping();
          expect(performance.now() - started).toBeLessThan(150);
          const error = await pending;
          expect(isLockError(error, 'LOCK_REPLICATION')).toBe(true);
          expect(error).toMatchObject({ acknowledged: 0, required: 1 });
          expect(await admin.exists(semaphore.keysOf('cut').lock)).toBe(0);
        } finally {
          topology.proxies[0]!.heal();
          await topology.waitForReplicas();
        }
      });

      it('sends no WAIT when the lock was not taken (a refused attempt returns at once)', async () => {
        const holder = await semaphore.acquire('held', { ttl: 5000 });
        topology.proxies[0]!.blackhole(true);
        try {
          const started = performance.now();
          expect(await semaphore.tryAcquire('held', { ttl: 1000 })).toBeNull();
          expect(performance.now() - started).toBeLessThan(250);
        } finally {
          topology.proxies[0]!.heal();
          await topology.waitForReplicas();
        }
        await holder.release();
        await admin.del(...['ok', 'few', 'cut', 'held'].map((r) => semaphore.keysOf(r).fence));
      });
    });
  }
  describe('ioredfour drop-in: minReplications', () => {
    it('acquires once a replica has it; a cut link rolls back and resolves replicationFailure', async () => {
      const client = new Redis(topology.primary.url);
      const namespace = uniqueKey('ior4-repl');
      const lock = new IoredfourLock({
        redis: client,
        namespace,
        minReplications: 1,
        replicationTimeout: 600,
      });
      try {
        const held = await lock.acquireLock('job', 5000);
        expect(held).toEqual({ id: 'job', success: true, index: expect.any(Number), ttl: 5000 });
        expect(await replica.hget(`${namespace}:job`, 'index')).toBe(String(held.index));
        expect(await lock.releaseLock(held)).toMatchObject({ result: 'released' });
        topology.proxies[0]!.blackhole(true);
        try {
          const pending = lock.acquireLock('cut', 5000);
          await new Promise((resolve) => setTimeout(resolve, 50));
          const started = performance.now();
          // WAIT blocks a dedicated connection, not the client the caller shares with the drop-in.
          expect(await client.ping()).toBe('PONG');
          expect(performance.now() - started).toBeLessThan(150);
          expect(await pending).toEqual({
            id: 'cut',
            success: false,
            replicationFailure: true,
            index: -1,
            ttl: 0,
          });
          expect(await admin.exists(`${namespace}:cut`)).toBe(0);
        } finally {
          topology.proxies[0]!.heal();
          await topology.waitForReplicas();
        }
      } finally {
        await lock.quit();
        await client.quit();
        await admin.del(`${namespace}index`);
      }
    });
  });
});

describe('fault: primary crash before replication', () => {
  /** Holder A on the primary, link cut, primary killed, replica promoted, B acquires there. */
  async function scenario(minReplicas: number): Promise<{ aError: unknown; checker: OverlapChecker }> {
    const topology = await startReplicated({ replicas: 1, viaProxy: true });
    const a = new Redis(topology.primary.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    a.on('error', () => undefined);
    const b = new Redis(topology.replicas[0]!.url);
    const namespace = uniqueKey('crash');
    const holders: LockStrategy[] = [];
    const options = minReplicas > 0 ? { replication: { minReplicas, timeout: 200 } } : {};
    try {
      const onPrimary = createSemaphore({ client: a, namespace, ...options });
      // The promoted replica has no replicas of its own: B runs without the check.
      const onReplica = createSemaphore({ client: b, namespace });
      holders.push(onPrimary, onReplica);
      topology.proxies[0]!.blackhole(true);
      const checker = new OverlapChecker();
      let aError: unknown;
      try {
        const aLock = await onPrimary.acquire('account', { ttl: 10_000, waitTimeout: 0 });
        // A believes it holds the lock for its whole ttl: the hold stays open (the primary dies under it).
        checker.acquired('account', aLock.token);
      } catch (error) {
        aError = error;
      }
      await topology.primary.kill();
      await topology.promote(topology.replicas[0]!);
      const bLock = await onReplica.tryAcquire('account', { ttl: 10_000 });
      if (bLock) {
        checker.acquired('account', bLock.token);
        checker.released('account', bLock.token);
        await bLock.release();
      }
      await b.del(onReplica.keysOf('account').fence);
      return { aError, checker };
    } finally {
      await Promise.allSettled(holders.map((s) => s.close()));
      a.disconnect();
      await b.quit();
      await topology.stop();
    }
  }

  it('with minReplicas 1 the unreplicated lock is refused (LockReplicationError): never two holders', async () => {
    const { aError, checker } = await scenario(1);
    expect(isLockError(aError, 'LOCK_REPLICATION')).toBe(true);
    expect(checker.records().length, 'B got the lock after the failover').toBe(1);
    checker.assertNoOverlap();
  });

  it('negative control: with minReplicas 0 the same scenario grants the lock twice', async () => {
    const { aError, checker } = await scenario(0);
    expect(aError).toBeUndefined();
    expect(checker.overlaps(), 'the checker must flag the double grant').toHaveLength(1);
    expect(() => checker.assertNoOverlap()).toThrow();
  });
});
