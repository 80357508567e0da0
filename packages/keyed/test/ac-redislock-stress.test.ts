import { randomUUID } from 'node:crypto';
import { uniqueKey } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import redisLock, { type RedisLock } from '../src/ac-redislock.js';
import { recordingLogger } from './helpers.js';

const url = inject('redisUrl');
const KEYS = 1000;
const CLIENTS = 8;
const IN_FLIGHT_PER_CLIENT = 32;

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const pause = () =>
  new Promise<void>((resolve) =>
    Math.random() < 0.5 ? setImmediate(resolve) : setTimeout(resolve, Math.random() * 2),
  );

describe(`ac-redislock: ${KEYS} keys × ${CLIENTS} clients with wrong-value releases mixed in`, () => {
  const connections: { close(): Promise<unknown> }[] = [];
  const locks: RedisLock[] = [];
  let admin: Redis;
  const prefix = uniqueKey('acrl-stress');
  const keys = Array.from({ length: KEYS }, (_, i) => `${prefix}:${i}`);

  beforeAll(async () => {
    admin = new Redis(url);
    for (let i = 0; i < CLIENTS; i++) {
      // Half ioredis, half node-redis: eight separate connections.
      let redis: unknown;
      if (i % 2 === 0) {
        const client = new Redis(url);
        connections.push({ close: () => client.quit() });
        redis = client;
      } else {
        const client = createClient({ url });
        client.on('error', () => undefined);
        await client.connect();
        connections.push({ close: () => client.close() });
        redis = client;
      }
      const lock = redisLock.create();
      await lock.init({ redis, logger: recordingLogger().logger });
      locks.push(lock);
    }
  });

  afterAll(async () => {
    await Promise.all(locks.map((l) => l.close()));
    await Promise.all(connections.map((c) => c.close()));
    const left = await admin.keys(`${prefix}:*`);
    if (left.length) await admin.del(...left);
    await admin.quit();
  });

  it('never has two holders of a key, and a wrong-value release never deletes', async () => {
    const holders = new Map<string, Set<number>>();
    const violations: string[] = [];
    const stats = { acquired: 0, busy: 0, wrongReleases: 0, wrongRefused: 0, ownReleases: 0 };

    const visit = async (me: number, redisKey: string) => {
      const lock = locks[me]!;
      if (Math.random() < 0.25) {
        // A bystander releasing with a value it never had (or none at all): must never delete the key.
        stats.wrongReleases++;
        await lock.releaseLock({
          redisKey,
          ...(Math.random() < 0.5 ? { value: `wrong-${randomUUID()}` } : {}),
          suppressMismatch: true,
        });
      }
      let value: string;
      try {
        value = await lock.lockKey({ redisKey, expires: 30 });
      } catch (error) {
        if ((error as { code?: unknown }).code !== 423) throw error;
        stats.busy++;
        return;
      }
      stats.acquired++;
      const set = holders.get(redisKey) ?? new Set<number>();
      holders.set(redisKey, set);
      if (set.size > 0) violations.push(`${redisKey}: client ${me} acquired while ${[...set]} held it`);
      set.add(me);

      await pause();
      if (Math.random() < 0.5) {
        // A wrong-value release while the lock is held, from this client or another one.
        const intruder = locks[Math.floor(Math.random() * CLIENTS)]!;
        stats.wrongReleases++;
        try {
          await intruder.releaseLock({ redisKey, value: `wrong-${randomUUID()}` });
          violations.push(`${redisKey}: a wrong-value release did not report a mismatch`);
        } catch (error) {
          if ((error as Error).message !== 'releaseLock_valueMismatch') throw error;
          stats.wrongRefused++;
        }
        await pause();
      }
      // Still ours: getLock with our value throws getLock_valueMismatch otherwise.
      try {
        await lock.getLock({ redisKey, value });
      } catch (error) {
        violations.push(`${redisKey}: lost before release (${(error as Error).message})`);
      }
      set.delete(me);
      try {
        await lock.releaseLock({ redisKey, value });
        stats.ownReleases++;
      } catch (error) {
        violations.push(`${redisKey}: own release failed (${(error as Error).message})`);
      }
    };

    const started = Date.now();
    await Promise.all(
      locks.map(async (_lock, me) => {
        const queue = shuffled(keys);
        await Promise.all(
          Array.from({ length: IN_FLIGHT_PER_CLIENT }, async () => {
            for (let next = queue.pop(); next !== undefined; next = queue.pop()) await visit(me, next);
          }),
        );
      }),
    );
    const elapsed = Date.now() - started;

    expect(violations).toEqual([]);
    expect(stats.acquired + stats.busy).toBe(KEYS * CLIENTS);
    expect(stats.acquired).toBeGreaterThanOrEqual(KEYS);
    expect(stats.busy).toBeGreaterThan(0); // there was contention
    expect(stats.ownReleases).toBe(stats.acquired);
    expect(stats.wrongRefused).toBeGreaterThan(0);
    expect(stats.wrongReleases).toBeGreaterThan(KEYS);
    expect(await admin.exists(...keys)).toBe(0);
    expect(elapsed).toBeLessThan(15_000);
  });
});
