import { createChaosProxy, type Nodes, OverlapChecker, startNodes, uniqueKey } from '@redis-locks/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedlock, type Redlock } from '../src/index.js';
import { ioredis, quit, ready } from './helpers.js';

describe('quorum truth table over 5 nodes', () => {
  let nodes: Nodes;
  let clients: Redis[];
  let strategy: Redlock;

  beforeAll(async () => {
    nodes = await startNodes(5);
    clients = nodes.nodes.map((n) => ioredis(n.url));
    strategy = createRedlock({ clients, namespace: 'rl-truth' });
  }, 60_000);

  afterAll(async () => {
    await strategy?.close();
    await Promise.all((clients ?? []).map(quit));
    await nodes?.stop();
  });

  it('tryAcquire wins iff at least 3 of 5 nodes are free, and a loss leaves none of its keys anywhere', async () => {
    for (let mask = 0; mask < 32; mask++) {
      const resource = uniqueKey(`truth-${mask}`);
      const { lock: key, fence } = strategy.keysOf(resource);
      const held = [0, 1, 2, 3, 4].map((i) => (mask & (1 << i)) !== 0);
      const heldCount = held.filter(Boolean).length;
      await Promise.all(clients.map((c, i) => (held[i] ? c.set(key, 'other-owner', 'PX', 10_000) : null)));

      const lock = await strategy.tryAcquire(resource, { ttl: 5000 });
      expect(lock !== null, `mask ${mask.toString(2).padStart(5, '0')}`).toBe(heldCount <= 2);
      if (lock) expect(await lock.release()).toBe('released');
      // Whether it won or lost, our token is gone from every node and the other owner's keys are untouched.
      const values = await Promise.all(clients.map((c) => c.get(key)));
      expect(values).toEqual(held.map((h) => (h ? 'other-owner' : null)));
      await Promise.all(clients.map((c) => c.del(key, fence)));
    }
  });
});

describe('one node behind a +200 ms delay', () => {
  let nodes: Nodes;
  let clients: Redis[];
  let proxy: Awaited<ReturnType<typeof createChaosProxy>>;
  let strategy: Redlock;

  beforeAll(async () => {
    nodes = await startNodes(5);
    const last = nodes.nodes[4]!;
    proxy = await createChaosProxy({ host: last.host, port: last.port });
    clients = [...nodes.nodes.slice(0, 4).map((n) => ioredis(n.url)), ioredis(proxy.url)];
    await Promise.all(clients.map((c) => c.ping()));
    strategy = createRedlock({ clients, namespace: 'rl-slow', requestTimeout: 2000 });
  }, 60_000);

  afterAll(async () => {
    proxy?.heal();
    await strategy?.close();
    await Promise.all((clients ?? []).map(quit));
    await proxy?.close();
    await nodes?.stop();
  });

  it('still acquires, without waiting for the slow node', async () => {
    const measure = async (label: string) => {
      const durations: number[] = [];
      const locks = [];
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        const lock = await strategy.tryAcquire(uniqueKey(label), { ttl: 5000 });
        durations.push(performance.now() - started);
        expect(lock).not.toBeNull();
        locks.push(lock!);
      }
      await Promise.all(locks.map((lock) => lock.release()));
      return durations.sort((a, b) => a - b);
    };
    const healthy = await measure('healthy');
    proxy.setDelay(200);
    const slow = await measure('slow');
    proxy.heal();
    // The slow node adds >= 200 ms to its own replies; the attempts settle on the four fast nodes. Bounds
    // have ~100 ms of slack and are no speed target.
    expect(slow[4]!).toBeLessThan(healthy[4]! + 100);
    expect(slow[4]!).toBeLessThan(150);
  });

  it('releases without waiting for the slow node, whose key still goes', async () => {
    const resource = uniqueKey('slow-release');
    const lock = await strategy.tryAcquire(resource, { ttl: 10_000 });
    expect(lock).not.toBeNull();
    // Wait for the slow node's vote, so its key exists before the release.
    const { lock: key } = strategy.keysOf(resource);
    const slowNode = ioredis(nodes.nodes[4]!.url);
    await vi.waitUntil(async () => (await slowNode.exists(key)) === 1, { timeout: 2000, interval: 20 });
    proxy.setDelay(200);
    const started = performance.now();
    expect(await lock!.release()).toBe('released');
    const took = performance.now() - started;
    // 200 ms of delay each way on the slow node; the four fast nodes decide (slack ~100 ms, no speed target).
    expect(took).toBeLessThan(150);
    await vi.waitUntil(async () => (await slowNode.exists(key)) === 0, { timeout: 3000, interval: 20 });
    proxy.heal();
    await quit(slowNode);
  });
});

describe('negative control: an immediate restart without persistence', () => {
  let nodes: Nodes;
  let clients: Redis[];

  beforeAll(async () => {
    nodes = await startNodes(3);
    clients = nodes.nodes.map((n) => ioredis(n.url, { enableOfflineQueue: false }));
    await Promise.all(clients.map(ready));
  }, 60_000);

  afterAll(async () => {
    await Promise.all((clients ?? []).map(quit));
    await nodes?.stop();
  });

  // Long enough that an immediate restart and reconnect finish well inside it, even on a loaded machine.
  const holderTtl = 3000;
  const scenario = async (restartDelay: number): Promise<{ checker: OverlapChecker; stolen: boolean }> => {
    const a = createRedlock({ clients, namespace: 'rl-negative', requestTimeout: 300 });
    const b = createRedlock({ clients, namespace: 'rl-negative', requestTimeout: 300 });
    const checker = new OverlapChecker();
    const resource = uniqueKey('negative');
    const key = a.keysOf(resource).lock;
    try {
      await Promise.all(clients.map(ready));
      // A wins on nodes 0 and 1 only (node 2 is briefly held by a third party).
      await clients[2]!.set(key, 'third-party', 'PX', 10_000);
      const held = await a.tryAcquire(resource, { ttl: holderTtl });
      expect(held).not.toBeNull();
      const heldAt = process.hrtime.bigint();
      const heldWall = Date.now();
      checker.acquired(resource, 'A', heldAt);
      await clients[2]!.del(key);
      expect(await clients[2]!.get(key), 'A holds nodes 0 and 1 only').toBeNull();
      // Node 1 crashes and loses A's key.
      await nodes.nodes[1]!.restart({ appendonly: false, delayMs: restartDelay });
      await ready(clients[1]!);
      const stolen = await b.tryAcquire(resource, { ttl: 5000 });
      if (stolen) {
        checker.acquired(resource, 'B');
        checker.released(resource, 'B');
        await stolen.release();
      }
      // A may use its lock until expiresAt: its hold ends then, or now if that is earlier.
      const validFor = BigInt(Math.max(0, held!.expiresAt - heldWall)) * 1_000_000n;
      const now = process.hrtime.bigint();
      checker.released(resource, 'A', heldAt + validFor < now ? heldAt + validFor : now);
      await held!.release().catch(() => undefined);
      return { checker, stolen: stolen !== null };
    } finally {
      await Promise.all(clients.map((c) => c.del(key).catch(() => undefined)));
      await a.close();
      await b.close();
    }
  };

  it('lets the checker flag the double grant an immediate restart causes', async () => {
    const { checker, stolen } = await scenario(0);
    expect(stolen).toBe(true);
    expect(checker.overlaps().length).toBeGreaterThan(0);
    expect(() => checker.assertNoOverlap()).toThrow(/double grants/);
  });

  it('a restart delayed past ttl + drift gives no double grant', async () => {
    // ttl + drift (0.01 × ttl + 2 ms) + margin.
    const { checker, stolen } = await scenario(holderTtl + 32 + 150);
    // B gets the lock only once A's validity ran out.
    expect(stolen).toBe(true);
    checker.assertNoOverlap();
  });
});
