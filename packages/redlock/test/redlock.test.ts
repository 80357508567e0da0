import { isLockError, type LockQuorumError, type RedisAdapter, toAdapter } from '@redis-locks/core';
import { type Nodes, startNodes, uniqueKey } from '@redis-locks/testing';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedlock, type Redlock, redlockDrift } from '../src/index.js';
import { ioredis, nodeRedis, quit, sleep } from './helpers.js';

let nodes: Nodes;
let raw: Redis[];
let mixed: unknown[];
const strategies: Redlock[] = [];
const extraClients: unknown[] = [];

function make(options: Partial<Parameters<typeof createRedlock>[0]> = {}): Redlock {
  const strategy = createRedlock({ clients: mixed, namespace: 'rl-test', ...options });
  strategies.push(strategy);
  return strategy;
}

/** Adapters over the mixed clients that call `onAttempt` for every acquire attempt, as node 0 sees it (each attempt asks every node). */
function attemptCounting(onAttempt: () => void): RedisAdapter[] {
  return mixed.map((client, node) => {
    const inner = toAdapter(client);
    return {
      ...inner,
      kind: 'counting',
      isCluster: inner.isCluster,
      evalScript: (script, keys, args) => {
        if (node === 0 && script.name === 'lock_acquire') onAttempt();
        return inner.evalScript(script, keys, args);
      },
      subscribe: (channel, listener, options) => inner.subscribe(channel, listener, options),
      close: () => inner.close(),
    } satisfies RedisAdapter;
  });
}

/** The values the lock key holds on each node. */
function valuesOn(strategy: Redlock, resource: string): Promise<(string | null)[]> {
  return Promise.all(raw.map((r) => r.get(strategy.keysOf(resource).lock)));
}

beforeAll(async () => {
  nodes = await startNodes(3);
  raw = nodes.nodes.map((n) => ioredis(n.url));
  // Mixed clients: ioredis, node-redis, ioredis.
  mixed = [ioredis(nodes.nodes[0]!.url), await nodeRedis(nodes.nodes[1]!.url), ioredis(nodes.nodes[2]!.url)];
}, 60_000);

afterEach(async () => {
  await Promise.all(strategies.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await Promise.all([...raw, ...mixed, ...extraClients].map(quit));
  await nodes?.stop();
});

describe('createRedlock options', () => {
  it('has the redlock name and capabilities', () => {
    const s = make();
    expect(s.name).toBe('redlock');
    expect(s.capabilities).toEqual({
      fencing: true,
      wakeup: 'poll',
      multiNode: true,
      replicationCheck: false,
      fair: false,
    });
    expect(s.quorum).toBe(2);
    expect(s.size).toBe(3);
  });

  it('rejects bad clients, quorum, driftFactor and requestTimeout with errors naming the option', () => {
    expect(() => createRedlock({ clients: [] })).toThrow(/options\.clients/);
    expect(() => createRedlock({ clients: 'x' as never })).toThrow(TypeError);
    expect(() => createRedlock({ clients: [mixed[0], mixed[0]] })).toThrow(/must not repeat a client/);
    expect(() => createRedlock({ clients: [mixed[0], {}] })).toThrow(/options\.clients\[1\]/);
    expect(() => createRedlock({ clients: mixed, quorum: 1 })).toThrow(
      /options\.quorum must be an integer from 2/,
    );
    expect(() => createRedlock({ clients: mixed, quorum: 4 })).toThrow(RangeError);
    expect(() => createRedlock({ clients: mixed, quorum: 2.5 })).toThrow(RangeError);
    expect(() => createRedlock({ clients: mixed, driftFactor: -0.1 })).toThrow(/options\.driftFactor/);
    expect(() => createRedlock({ clients: mixed, driftFactor: Number.NaN })).toThrow(/options\.driftFactor/);
    expect(() => createRedlock({ clients: mixed, requestTimeout: 0 })).toThrow(/options\.requestTimeout/);
    expect(() => createRedlock({ clients: mixed, namespace: 'a{b' })).toThrow(/options\.namespace/);
    expect(make({ quorum: 3 }).quorum).toBe(3);
  });

  it('rejects a ttl that does not outlast the drift, before any command', async () => {
    const s = make({ driftFactor: 0.5 });
    await expect(s.tryAcquire(uniqueKey('rl'), { ttl: 4 })).rejects.toThrow(/options\.ttl must be longer/);
    expect(redlockDrift(0.01, 1000)).toBe(12);
  });
});

describe('redlock over mixed ioredis and node-redis clients', () => {
  it('holds the lock on every node, then releases it everywhere', async () => {
    const s = make();
    const resource = uniqueKey('rl-mixed');
    const lock = await s.tryAcquire(resource, { ttl: 5000 });
    expect(lock).not.toBeNull();
    // The attempt settles at a quorum; the last node's write lands right after.
    const onNodes = async () => (await valuesOn(s, resource)).filter((v) => v === lock!.token).length;
    expect(await onNodes()).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 50 && (await onNodes()) < 3; i++) await sleep(10);
    expect(await onNodes()).toBe(3);
    expect(await lock!.release()).toBe('released');
    // Release settles too once no quorum can hold the token; the last node's DEL lands right after.
    const cleared = async () => (await valuesOn(s, resource)).every((v) => v === null);
    for (let i = 0; i < 50 && !(await cleared()); i++) await sleep(10);
    expect(await valuesOn(s, resource)).toEqual([null, null, null]);
  });

  it('counts validity from the start of the attempt, minus the drift', async () => {
    const s = make({ driftFactor: 0.1 });
    const before = Date.now();
    const lock = await s.tryAcquire(uniqueKey('rl-validity'), { ttl: 1000 });
    const after = Date.now();
    try {
      // drift = round(0.1 × 1000) + 2 = 102 ms
      expect(lock!.expiresAt).toBeGreaterThanOrEqual(before + 1000 - 102);
      expect(lock!.expiresAt).toBeLessThanOrEqual(after + 1000 - 102);
    } finally {
      await lock!.release();
    }
  });

  it('refuses with null when another owner holds a majority, and leaves no partial key behind', async () => {
    const s = make();
    const resource = uniqueKey('rl-partial');
    const key = s.keysOf(resource).lock;
    await raw[0]!.set(key, 'other', 'PX', 5000);
    await raw[1]!.set(key, 'other', 'PX', 5000);
    try {
      expect(await s.tryAcquire(resource, { ttl: 5000 })).toBeNull();
      expect(await valuesOn(s, resource)).toEqual(['other', 'other', null]);
    } finally {
      await Promise.all(raw.map((r) => r.del(key)));
    }
  });

  it('acquires when only a minority is held by someone else', async () => {
    const s = make();
    const resource = uniqueKey('rl-minority');
    const key = s.keysOf(resource).lock;
    await raw[2]!.set(key, 'other', 'PX', 5000);
    try {
      const lock = await s.tryAcquire(resource, { ttl: 5000 });
      expect(lock).not.toBeNull();
      expect(await lock!.release()).toBe('released');
      expect(await valuesOn(s, resource)).toEqual([null, null, 'other']);
    } finally {
      await raw[2]!.del(key);
    }
  });

  it('a failed extension keeps the lock on nodes where it was still valid', async () => {
    const s = make();
    const resource = uniqueKey('rl-extend');
    const key = s.keysOf(resource).lock;
    const lock = await s.tryAcquire(resource, { ttl: 5000 });
    await raw[0]!.del(key);
    await raw[1]!.set(key, 'thief', 'PX', 5000);
    await expect(lock!.extend(5000)).rejects.toMatchObject({ code: 'LOCK_LOST' });
    expect(lock!.signal.aborted).toBe(true);
    expect(await valuesOn(s, resource)).toEqual([null, 'thief', lock!.token]);
    await Promise.all(raw.map((r) => r.del(key)));
  });

  it('extends on a quorum even when one node lost the key', async () => {
    const s = make();
    const resource = uniqueKey('rl-extend-minority');
    const key = s.keysOf(resource).lock;
    const lock = await s.tryAcquire(resource, { ttl: 300 });
    await raw[2]!.del(key);
    const before = lock!.expiresAt;
    await lock!.extend(5000);
    expect(lock!.expiresAt).toBeGreaterThan(before);
    await sleep(400);
    expect(await valuesOn(s, resource)).toEqual([lock!.token, lock!.token, null]);
    expect(await lock!.release()).toBe('released');
  });

  it('reports the q-th longest ttl and the fencing token in inspect', async () => {
    const s = make();
    const resource = uniqueKey('rl-inspect');
    const key = s.keysOf(resource).lock;
    const lock = await s.tryAcquire(resource, { ttl: 5000 });
    await raw[0]!.pexpire(key, 1000);
    const info = await s.inspect(resource);
    expect(info!.ttl).toBeGreaterThan(4000);
    expect(info!.fencingToken).toBe(lock!.fencingToken);
    await raw[1]!.pexpire(key, 1000);
    expect((await s.inspect(resource))!.ttl).toBeLessThanOrEqual(1000);
    await lock!.release();
    expect(await s.inspect(resource)).toBeNull();
  });

  it('wakes a waiter on release instead of waiting out its retry delay', async () => {
    const holder = make();
    const waiter = make();
    const resource = uniqueKey('rl-wake');
    const lock = await holder.tryAcquire(resource, { ttl: 10_000 });
    const waiting = waiter.acquire(resource, {
      ttl: 5000,
      waitTimeout: 8000,
      retry: { delay: 4000, jitter: 0 },
    });
    await sleep(200);
    const released = performance.now();
    await lock!.release();
    const next = await waiting;
    // The retry delay is 4 s; the notification hands the lock over far sooner (bound with wide slack).
    expect(performance.now() - released).toBeLessThan(1500);
    expect(next.fencingToken!).toBeGreaterThan(lock!.fencingToken!);
    await next.release();
  });

  it('one release announced by every node wakes a waiter once', async () => {
    const attempts: number[] = [];
    const counted = attemptCounting(() => attempts.push(performance.now()));
    const holder = make();
    const waiter = make({ clients: counted });
    const resource = uniqueKey('rl-wake-once');
    const lock = await holder.tryAcquire(resource, { ttl: 10_000 });
    const wait = () =>
      waiter.acquire(resource, { ttl: 5000, waitTimeout: 8000, retry: { delay: 4000, jitter: 0 } });
    const waiting = [wait(), wait()];
    await sleep(300);
    // The lock stays held, so every attempt fails: announce one release id on all three nodes, twice.
    const { channel } = holder.keysOf(resource);
    for (const id of ['other:1', 'other:2']) {
      const before = attempts.length;
      await Promise.all(raw.map((r) => r.publish(channel, id)));
      await sleep(150);
      expect(attempts.length - before, `attempts after release ${id}`).toBe(1);
    }
    await lock!.release();
    for (const next of waiting) await (await next).release();
    await Promise.all(counted.map((adapter) => adapter.close()));
  });
});

describe('subscriptions', () => {
  /** Nodes on which someone listens to `channel`. */
  const subscribedNodes = async (channel: string) =>
    (await Promise.all(raw.map((r) => r.call('PUBSUB', 'NUMSUB', channel)))).filter(
      (reply) => Number((reply as unknown[])[1]) > 0,
    ).length;

  /** `holder` takes `resource`, `waiter` waits for it, `holder` releases, `waiter` takes and releases it. */
  const handOff = async (holder: Redlock, waiter: Redlock, resource: string) => {
    const lock = await holder.tryAcquire(resource, { ttl: 10_000 });
    const waiting = waiter.acquire(resource, {
      ttl: 5000,
      waitTimeout: 8000,
      retry: { delay: 4000, jitter: 0 },
    });
    await sleep(150);
    await lock!.release();
    await (await waiting).release();
  };

  it('outlive the last waiter for a while, so the next waiter needs one attempt less; close() ends them', async () => {
    let attempts = 0;
    const counted = attemptCounting(() => attempts++);
    const holder = make();
    const waiter = make({ clients: counted });
    const resource = uniqueKey('rl-linger');
    const { channel } = holder.keysOf(resource);
    const attemptsOfHandOff = async () => {
      const before = attempts;
      await handOff(holder, waiter, resource);
      return attempts - before;
    };
    // The first wait subscribes on every node, then re-checks; the second finds the subscriptions and
    // listens before its one failed attempt.
    expect(await attemptsOfHandOff()).toBe(3);
    await sleep(100);
    expect(await subscribedNodes(channel)).toBe(3);
    expect(await attemptsOfHandOff()).toBe(2);
    await waiter.close();
    expect(await subscribedNodes(channel)).toBe(0);
    await Promise.all(counted.map((adapter) => adapter.close()));
  });

  it('are dropped once nobody waited for a second', async () => {
    const holder = make();
    const resource = uniqueKey('rl-linger-end');
    const { channel } = holder.keysOf(resource);
    await handOff(holder, make(), resource);
    expect(await subscribedNodes(channel)).toBe(3);
    await sleep(1500);
    expect(await subscribedNodes(channel)).toBe(0);
  });
});

describe('per-node errors', () => {
  it('tryAcquire throws LockQuorumError with every node vote when a majority is unreachable', async () => {
    const dead = [
      ioredis('redis://127.0.0.1:1', { enableOfflineQueue: false, lazyConnect: true }),
      ioredis('redis://127.0.0.1:2', { enableOfflineQueue: false, lazyConnect: true }),
    ];
    extraClients.push(...dead);
    const s = make({ clients: [mixed[0], ...dead] });
    const error = (await s
      .tryAcquire(uniqueKey('rl-down'), { ttl: 1000 })
      .catch((e) => e)) as LockQuorumError;
    expect(isLockError(error, 'LOCK_QUORUM')).toBe(true);
    expect(error.votes.map((v) => v.vote)).toEqual(['for', 'error', 'error']);
    expect(error.votes[1]!.error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/node 0: for, node 1: error, node 2: error/);
    // acquire keeps retrying while it may wait, then says what the nodes answered.
    const waited = (await s
      .acquire(uniqueKey('rl-down'), {
        ttl: 1000,
        waitTimeout: 300,
        retry: { delay: 50, jitter: 0, maxAttempts: 3 },
      })
      .catch((e) => e)) as LockQuorumError;
    expect(isLockError(waited, 'LOCK_QUORUM')).toBe(true);
  });

  it('release and extend report per-node failures as LockQuorumError without losing the lock state', async () => {
    const s = make();
    const resource = uniqueKey('rl-wrongtype');
    const key = s.keysOf(resource).lock;
    const lock = await s.tryAcquire(resource, { ttl: 5000 });
    // Two nodes now hold a key of another type: their scripts fail with WRONGTYPE.
    for (const r of raw.slice(0, 2)) {
      await r.del(key);
      await r.hset(key, 'f', 'v');
    }
    const extendError = (await s.extend(lock!, 5000).catch((e) => e)) as LockQuorumError;
    expect(extendError.code).toBe('LOCK_QUORUM');
    expect(extendError.votes.filter((v) => v.vote === 'error')).toHaveLength(2);
    expect(String((extendError.votes[0]!.error as Error).message)).toMatch(/WRONGTYPE/);
    const releaseError = (await s.release(lock!).catch((e) => e)) as LockQuorumError;
    expect(releaseError.code).toBe('LOCK_QUORUM');
    expect(releaseError.votes.map((v) => v.vote)).toEqual(['error', 'error', 'for']);
    await Promise.all(raw.map((r) => r.del(key)));
  });

  it('settles an even split of 4 nodes at once', async () => {
    const extra = await startNodes(1);
    const fourth = ioredis(extra.nodes[0]!.url);
    try {
      const s = make({ clients: [...mixed, fourth] });
      const resource = uniqueKey('rl-split');
      const key = s.keysOf(resource).lock;
      await raw[0]!.set(key, 'other', 'PX', 5000);
      await raw[1]!.set(key, 'other', 'PX', 5000);
      const started = performance.now();
      expect(await s.tryAcquire(resource, { ttl: 5000 })).toBeNull();
      expect(performance.now() - started).toBeLessThan(500);
      expect(await fourth.exists(key)).toBe(0);
      await Promise.all(raw.map((r) => r.del(key)));
      await s.close();
    } finally {
      await quit(fourth);
      await extra.stop();
    }
  });
});

describe('fencing across node restarts', () => {
  it('keeps tokens strictly increasing when one node of three loses its counters', async () => {
    const s = make();
    const resource = uniqueKey('rl-fence-restart');
    const tokens: number[] = [];
    const take = async () => {
      const lock = await s.acquire(resource, { ttl: 2000, waitTimeout: 5000 });
      tokens.push(lock.fencingToken!);
      await lock.release();
    };
    await take();
    await take();
    for (const victim of [0, 1, 2]) {
      // Release settles at a quorum: let the last node's release land before killing a node under it (a
      // node-redis client whose command was in flight during the kill never finishes close()).
      for (let i = 0; i < 50 && (await valuesOn(s, resource)).some((v) => v !== null); i++) await sleep(10);
      await nodes.nodes[victim]!.restart({ appendonly: false });
      await take();
      await take();
    }
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]!).toBeGreaterThan(tokens[i - 1]!);
  });
});
