import { uniqueKey } from '@redis-locks/testing';
import { Redis } from 'ioredis';
// The original library, as a process that has not migrated yet would run it.
import OriginalWarlock from 'node-redis-warlock';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import Warlock, { type Warlock as WarlockApi } from '../src/warlock.js';
import { type ClientKind, type Connection, clientKinds, connect, delay } from './warlock-helpers.js';

const url = inject('redisUrl');

/** A process still running the original node-redis-warlock 1.0.2 (callbacks, over its own ioredis client). */
function originalWarlock(client: Redis) {
  const original = OriginalWarlock(client);
  return {
    /** `warlock.lock`: resolves whether it was set, and the id the original generated. */
    lock: (key: string, ttl: number) =>
      new Promise<{ locked: boolean; id: string }>((resolve, reject) =>
        original.lock(key, ttl, (err: Error | null, unlock: unknown, id: string) =>
          err ? reject(err) : resolve({ locked: typeof unlock === 'function', id }),
        ),
      ),
    /** `warlock.unlock`: 1 deleted, 0 otherwise. */
    unlock: (key: string, id: string) =>
      new Promise<number>((resolve, reject) =>
        original.unlock(key, id, (err: Error | null, result: number) =>
          err ? reject(err) : resolve(Number(result)),
        ),
      ),
  };
}

describe.each(clientKinds)('interop with node-redis-warlock 1.0.2 over %s', (kind: ClientKind) => {
  let conn: Connection;
  let originalClient: Redis;
  let warlock: WarlockApi;
  let original: ReturnType<typeof originalWarlock>;

  beforeAll(async () => {
    conn = await connect(kind, url);
    warlock = Warlock(conn.client);
    originalClient = new Redis(url);
    original = originalWarlock(originalClient);
  });
  afterAll(async () => {
    await conn.close();
    await originalClient.quit();
  });

  it('a lock held by the original excludes the compat layer until the original releases it', async () => {
    const key = uniqueKey('wl-interop');
    const held = await original.lock(key, 10_000);
    expect(held.locked).toBe(true);

    const refused = await warlock.lock(key, 10_000);
    expect(refused.unlock).toBe(false);
    await expect(warlock.optimistic(key, 10_000, 3, 10)).rejects.toThrow('unable to obtain lock');
    expect(await warlock.unlock(key, refused.id)).toBe(0);
    expect(await warlock.touch(key, refused.id, 60_000)).toBe(0);
    expect(await conn.raw('GET', `${key}:lock`)).toBe(held.id);

    expect(await original.unlock(key, held.id)).toBe(1);
    const taken = await warlock.lock(key, 10_000);
    expect(typeof taken.unlock).toBe('function');
    expect(await conn.raw('GET', `${key}:lock`)).toBe(taken.id);
    if (taken.unlock) expect(await taken.unlock()).toBe(1);
  });

  it('a lock held by the compat layer excludes the original until the compat layer releases it', async () => {
    const key = uniqueKey('wl-interop');
    const held = await warlock.lock(key, 10_000);
    expect(typeof held.unlock).toBe('function');

    const refused = await original.lock(key, 10_000);
    expect(refused.locked).toBe(false);
    expect(await original.unlock(key, refused.id)).toBe(0);
    expect(await conn.raw('GET', `${key}:lock`)).toBe(held.id);

    if (held.unlock) expect(await held.unlock()).toBe(1);
    const taken = await original.lock(key, 10_000);
    expect(taken.locked).toBe(true);
    expect(await original.unlock(key, taken.id)).toBe(1);
  });

  it('waits in optimistic() for a lock the original holds, and gets it once the original unlocks', async () => {
    const key = uniqueKey('wl-interop');
    const held = await original.lock(key, 10_000);
    expect(held.locked).toBe(true);
    const pending = warlock.optimistic(key, 10_000, 100, 10);
    await delay(50);
    expect(await original.unlock(key, held.id)).toBe(1);
    const got = await pending;
    expect(await conn.raw('GET', `${key}:lock`)).toBe(got.id);
    expect((await original.lock(key, 10_000)).locked).toBe(false);
    expect(await got.unlock()).toBe(1);
  });

  it('ids cross over: either side releases the other side’s lock with its id', async () => {
    const key = uniqueKey('wl-interop');
    const held = await original.lock(key, 1000);
    expect(held.locked).toBe(true);
    expect(await warlock.touch(key, held.id, 60_000)).toBe('OK');
    expect(Number(await conn.raw('PTTL', `${key}:lock`))).toBeGreaterThan(50_000);
    expect(await warlock.unlock(key, held.id)).toBe(1);

    const ours = await warlock.lock(key, 10_000);
    expect(await original.unlock(key, ours.id)).toBe(1);
    expect(await conn.raw('EXISTS', `${key}:lock`)).toBe(0);
  });
});

describe('wire format', () => {
  let client: Redis;
  let monitor: Redis;
  const seen: string[][] = [];

  beforeAll(async () => {
    client = new Redis(url, { lazyConnect: true });
    await client.connect();
    monitor = await new Redis(url).monitor();
    monitor.on('monitor', (_time: string, args: string[]) => seen.push(args));
    // MONITOR starts asynchronously: wait until a probe command shows up.
    const probe = uniqueKey('wl-probe');
    for (let i = 0; i < 100 && !seen.some((a) => a.includes(probe)); i++) {
      await client.exists(probe);
      await delay(10);
    }
  });
  afterAll(async () => {
    monitor.disconnect();
    await client.quit();
  });

  it('sends one key (<key>:lock) per script and the id, ttl and idempotent flag as ARGV', async () => {
    const warlock = Warlock(client);
    const key = uniqueKey('wl-wire');
    const { id } = await warlock.lock(key, 4321);
    expect(await warlock.touch(key, id, 5432)).toBe('OK');
    expect(await warlock.unlock(key, id)).toBe(1);
    await delay(50);
    const scripts = seen
      .filter((args) => args.includes(`${key}:lock`))
      .filter((args) => /^eval(sha)?$/i.test(args[0] ?? ''))
      .map((args) => args.slice(2));
    // Drop EVALSHA attempts answered NOSCRIPT: their EVAL retry carries the same keys and args.
    const unique = [...new Map(scripts.map((a) => [a.join('\u0000'), a])).values()];
    expect(unique).toEqual([
      // The trailing '1': ids are random, so a resent acquire (lost reply) counts as acquired.
      ['1', `${key}:lock`, id, '4321', '1'],
      ['1', `${key}:lock`, id, '5432'],
      ['1', `${key}:lock`, id],
    ]);
  });
});
