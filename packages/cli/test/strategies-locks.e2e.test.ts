import { createRedlock } from '@redis-locks/redlock';
import { createSemaphore } from '@redis-locks/semaphore';
import { type Nodes, startNodes, uniqueKey } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assertBuilt, runBin } from './run-bin.js';

const url = inject('redisUrl');
let nodes: Nodes;
let nodeClients: Redis[];
let client: Redis;

beforeAll(async () => {
  assertBuilt();
  client = new Redis(url);
  nodes = await startNodes(3);
  nodeClients = nodes.nodes.map((node) => new Redis(node.url));
});

afterAll(async () => {
  client.disconnect();
  for (const nodeClient of nodeClients ?? []) nodeClient.disconnect();
  await nodes?.stop();
});

/** `--url a --url b --url c` for the three started nodes. */
function nodeUrlArgs(): string[] {
  return nodes.nodes.flatMap((node) => ['--url', node.url]);
}

describe('redlock: inspect per node, release --force on every node', () => {
  it('inspect shows on how many nodes the lock is held; a single --url skips redlock with a note', async () => {
    const namespace = uniqueKey('cli-redlock');
    const redlock = createRedlock({ clients: nodeClients, namespace });
    const lock = await redlock.acquire('orders:42', { ttl: 30_000 });
    try {
      // The lock key vanishes from one node: still held by the quorum, on 2 of 3 nodes. (acquire resolves
      // once a quorum voted, so the third node's vote may still be on its way: wait for it first.)
      const key = redlock.keysOf('orders:42').lock;
      while ((await Promise.all(nodeClients.map((c) => c.exists(key)))).some((n) => n === 0)) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await nodeClients[2]!.del(key)).toBe(1);
      const json = await runBin([
        'inspect',
        '--url',
        nodes.nodes.map((node) => node.url).join(','),
        '--strategies',
        'redlock',
        '--namespace',
        namespace,
        '--json',
      ]);
      expect(json.stderr).toBe('');
      expect(json.code).toBe(0);
      const parsed = JSON.parse(json.stdout) as { nodes: string[]; locks: Array<Record<string, unknown>> };
      expect(parsed.nodes).toHaveLength(3);
      expect(parsed.locks).toHaveLength(1);
      expect(parsed.locks[0]).toMatchObject({
        strategy: 'redlock',
        resource: 'orders:42',
        fencingToken: lock.fencingToken,
        nodes: { held: 2, total: 3 },
        waiters: null,
      });
      expect(json.stdout).not.toContain(lock.token);

      // Every strategy scanning one namespace: optimistic and keyed share redlock's key layout, so the lock
      // is listed once under all three, with redlock's node count.
      const table = await runBin(['inspect', ...nodeUrlArgs(), '--namespace', namespace]);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/optimistic\|keyed\|redlock/);
      expect(table.stdout).toMatch(/nodes/);
      expect(table.stdout).toMatch(/2\/3/);

      // Default strategies with one --url: redlock is left out, said on stderr; the others still run.
      const single = await runBin(['inspect', '--url', url, '--namespace', namespace]);
      expect(single.code).toBe(0);
      expect(single.stderr).toMatch(/redlock skipped: it needs 3 independent Redis nodes/);
    } finally {
      await lock.release();
      await redlock.close();
    }
  });

  it('release --force deletes the lock on every node and keeps the fencing counters', async () => {
    const namespace = uniqueKey('cli-redlock');
    const redlock = createRedlock({ clients: nodeClients, namespace });
    const lock = await redlock.acquire('job', { ttl: 30_000 });
    try {
      const { code, stdout, stderr } = await runBin(
        [
          'release',
          '--force',
          'job',
          ...nodeUrlArgs(),
          '--strategy',
          'redlock',
          '--namespace',
          namespace,
          '--json',
        ],
        { input: 'y\n' },
      );
      expect(code).toBe(0);
      expect(stderr).toMatch(/on 3 of 3 nodes/);
      expect(stderr).not.toContain(lock.token);
      expect(JSON.parse(stdout)).toMatchObject({ resource: 'job', strategy: 'redlock', outcome: 'released' });
      for (const nodeClient of nodeClients) {
        expect(await nodeClient.exists(redlock.keysOf('job').lock)).toBe(0);
      }
      expect(await redlock.inspect('job')).toBeNull();
      expect(await lock.release()).toBe('expired');
      const next = await redlock.acquire('job', { ttl: 1000 });
      expect(next.fencingToken).toBeGreaterThan(lock.fencingToken!);
      await next.release();
    } finally {
      await redlock.close();
    }
  });
});

describe('semaphore: a lock hash', () => {
  it('inspect lists it once, as semaphore only, even in a namespace every strategy scans', async () => {
    const namespace = uniqueKey('cli-semaphore');
    const semaphore = createSemaphore({ client, namespace });
    const lock = await semaphore.acquire('report', { ttl: 30_000 });
    try {
      const { code, stdout } = await runBin(['inspect', '--url', url, '--namespace', namespace, '--json']);
      expect(code).toBe(0);
      const { locks } = JSON.parse(stdout) as { locks: Array<Record<string, unknown>> };
      expect(locks).toHaveLength(1);
      expect(locks[0]).toMatchObject({
        strategy: 'semaphore',
        resource: 'report',
        fencingToken: lock.fencingToken,
        waiters: 0,
        nodes: null,
      });
      expect(stdout).not.toContain(lock.token);
    } finally {
      await lock.release();
      await semaphore.close();
    }
  });

  it('release --force runs its release script: the lock is gone and a waiter is woken at once', async () => {
    const namespace = uniqueKey('cli-semaphore');
    const semaphore = createSemaphore({ client, namespace });
    // Its fallback re-check comes only after 20 s: holding within the test means the release announced itself.
    const waiterSide = createSemaphore({ client, namespace, fallbackInterval: 20_000 });
    const lock = await semaphore.acquire('job', { ttl: 30_000 });
    try {
      const waiting = waiterSide.acquire('job', { ttl: 5000, waitTimeout: 15_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { code, stdout } = await runBin([
        'release',
        '--force',
        'job',
        '--yes',
        '--url',
        url,
        '--namespace',
        namespace,
        '--json',
      ]);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ strategy: 'semaphore', outcome: 'released' });
      const releasedAt = performance.now();
      const next = await waiting;
      expect(performance.now() - releasedAt).toBeLessThan(2000);
      expect(next.fencingToken).toBeGreaterThan(lock.fencingToken!);
      expect(await lock.release()).not.toBe('released');
      await next.release();
    } finally {
      await semaphore.close();
      await waiterSide.close();
    }
  });
});
