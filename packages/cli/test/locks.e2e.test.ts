import { createOptimisticLock } from '@redis-locks/optimistic';
import { uniqueKey } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assertBuilt, runBin } from './run-bin.js';

const url = inject('redisUrl');
let client: Redis;

beforeAll(async () => {
  assertBuilt();
  client = new Redis(url);
});

afterAll(() => client.disconnect());

/** An optimistic lock strategy in a namespace of its own, so each test sees only its locks. */
function isolatedStrategy() {
  const namespace = uniqueKey('cli');
  return { namespace, strategy: createOptimisticLock({ client, namespace }) };
}

describe('redis-locks inspect', () => {
  it('lists held locks with ttl and fencing token, and never prints an owner token in full', async () => {
    const { namespace, strategy } = isolatedStrategy();
    const orders = await strategy.acquire('orders:42', { ttl: 30_000 });
    const other = await strategy.acquire('users:7', { ttl: 30_000 });
    try {
      const json = await runBin([
        'inspect',
        '--url',
        url,
        '--namespace',
        namespace,
        '--strategies',
        'optimistic',
        '--json',
      ]);
      expect(json.code).toBe(0);
      const { locks } = JSON.parse(json.stdout) as { locks: Array<Record<string, unknown>> };
      expect(locks.map((lock) => lock.resource)).toEqual(['orders:42', 'users:7']);
      expect(locks[0]).toMatchObject({
        strategy: 'optimistic',
        namespace,
        fencingToken: orders.fencingToken,
        waiters: null,
      });
      expect(locks[0]!.ttlMs).toBeGreaterThan(20_000);
      expect(locks[0]!.ownerPreview).toMatch(/^[0-9a-f]{1,6}…$/);

      const filtered = await runBin([
        'inspect',
        'orders:*',
        '--url',
        url,
        '--namespace',
        namespace,
        '--strategies',
        'optimistic',
      ]);
      expect(filtered.code).toBe(0);
      expect(filtered.stdout).toContain('orders:42');
      expect(filtered.stdout).not.toContain('users:7');
      for (const output of [json.stdout, filtered.stdout]) {
        expect(output).not.toContain(orders.token);
        expect(output).not.toContain(other.token);
      }
    } finally {
      await orders.release();
      await other.release();
      await strategy.close();
    }
  });

  it('lists a lock once when strategies sharing its key layout scan the same namespace', async () => {
    const { namespace, strategy } = isolatedStrategy();
    const lock = await strategy.acquire('shared', { ttl: 30_000 });
    try {
      const { code, stdout } = await runBin(['inspect', '--url', url, '--namespace', namespace, '--json']);
      expect(code).toBe(0);
      const { locks } = JSON.parse(stdout) as { locks: Array<Record<string, unknown>> };
      expect(locks).toHaveLength(1);
      expect(locks[0]).toMatchObject({ resource: 'shared', strategy: 'optimistic|keyed' });
    } finally {
      await lock.release();
      await strategy.close();
    }
  });

  it('reports no locks and exits 0 for an empty namespace', async () => {
    const { code, stdout } = await runBin(['inspect', '--url', url, '--namespace', uniqueKey('empty')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/no locks held/);
  });
});

describe('redis-locks release --force', () => {
  it('asks first: a "no" keeps the lock and exits 1', async () => {
    const { namespace, strategy } = isolatedStrategy();
    const lock = await strategy.acquire('job', { ttl: 30_000 });
    try {
      const { code, stderr } = await runBin(
        ['release', '--force', 'job', '--url', url, '--namespace', namespace],
        {
          input: 'n\n',
        },
      );
      expect(code).toBe(1);
      expect(stderr).toMatch(/Release it\?/);
      expect(stderr).not.toContain(lock.token);
      expect(await strategy.inspect('job')).not.toBeNull();
    } finally {
      await lock.release();
      await strategy.close();
    }
  });

  it('releases after a "yes" on stdin, and the holder then finds its lock gone', async () => {
    const { namespace, strategy } = isolatedStrategy();
    const lock = await strategy.acquire('job', { ttl: 30_000 });
    try {
      const { code, stdout } = await runBin(
        ['release', '--force', 'job', '--url', url, '--namespace', namespace, '--json'],
        { input: 'y\n' },
      );
      expect(code).toBe(0);
      // optimistic and keyed share the key layout, so in one namespace the key cannot tell them apart.
      expect(JSON.parse(stdout)).toMatchObject({
        resource: 'job',
        strategy: 'optimistic|keyed',
        outcome: 'released',
      });
      expect(await strategy.inspect('job')).toBeNull();
      expect(await lock.release()).toBe('expired');
    } finally {
      await strategy.close();
    }
  });

  it('--yes releases without asking; the fencing counter survives', async () => {
    const { namespace, strategy } = isolatedStrategy();
    const lock = await strategy.acquire('job', { ttl: 30_000 });
    try {
      const { code, stderr } = await runBin([
        'release',
        '--force',
        'job',
        '--yes',
        '--strategy',
        'optimistic',
        '--url',
        url,
        '--namespace',
        namespace,
      ]);
      expect(code).toBe(0);
      expect(stderr).not.toMatch(/Release it\?/);
      const next = await strategy.acquire('job', { ttl: 1000 });
      expect(next.fencingToken).toBeGreaterThan(lock.fencingToken!);
      await next.release();
    } finally {
      await strategy.close();
    }
  });

  it('exits 1 when nothing is held', async () => {
    const { code, stdout } = await runBin([
      'release',
      '--force',
      'nothing-here',
      '--yes',
      '--url',
      url,
      '--namespace',
      uniqueKey('empty'),
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/not held/);
  });
});
