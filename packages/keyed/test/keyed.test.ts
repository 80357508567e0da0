import { isLockError, type Lock, LockHandle, toAdapter } from '@redis-locks/core';
import { uniqueKey } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createKeyedLock, DEFAULT_KEYED_NAMESPACE, fingerprint, type KeyedLock } from '../src/index.js';
import { countingAdapter, recordingLogger } from './helpers.js';

const url = inject('redisUrl');

describe('createKeyedLock', () => {
  let client: Redis;
  let nodeRedis: ReturnType<typeof createClient>;
  const namespaces: string[] = [];
  const open: KeyedLock[] = [];

  /** A strategy on a fresh namespace; closed and its keys deleted after each test. */
  function keyed(options: Partial<Parameters<typeof createKeyedLock>[0]> = {}): KeyedLock {
    const namespace = uniqueKey('keyed');
    namespaces.push(namespace);
    const locks = createKeyedLock({ client, namespace, ...options });
    open.push(locks);
    return locks;
  }

  beforeAll(async () => {
    client = new Redis(url);
    nodeRedis = createClient({ url });
    nodeRedis.on('error', () => undefined);
    await nodeRedis.connect();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((locks) => locks.close()));
    for (const namespace of namespaces.splice(0)) {
      const keys = await client.keys(`${namespace}:*`);
      if (keys.length) await client.del(...keys);
    }
  });
  afterAll(async () => {
    await client.quit();
    await nodeRedis.close();
  });

  it('validates its options before touching Redis', () => {
    expect(() => createKeyedLock({ client: {} })).toThrow(/options\.client must be/);
    expect(() => createKeyedLock({ client, namespace: 'a{b}' })).toThrow(/options\.namespace/);
    expect(() => createKeyedLock({ client, retry: { delay: -1 } })).toThrow(/options\.retry\.delay/);
    expect(() => createKeyedLock({ client, waitTimeout: -5 })).toThrow(/options\.waitTimeout/);
    expect(() => createKeyedLock({ client, logger: {} as never })).toThrow(TypeError);
    expect(() => createKeyedLock({ client, logger: { warn() {} } as never })).toThrow(
      /options\.logger must be a logger object.*lacks debug, info, error/,
    );
    expect(() => createKeyedLock({ client, logger: 'console' as never })).toThrow(/options\.logger/);
    expect(() => createKeyedLock(undefined as never)).toThrow(/options must be an object/);
  });

  it('is named keyed, declares its capabilities and uses its default namespace', () => {
    const locks = createKeyedLock({ client });
    open.push(locks);
    expect(locks.name).toBe('keyed');
    expect(locks.capabilities).toEqual({
      fencing: true,
      wakeup: 'poll',
      multiNode: false,
      replicationCheck: false,
      fair: false,
    });
    expect(locks.namespace).toBe(DEFAULT_KEYED_NAMESPACE);
    expect(locks.keysOf('a}b')).toEqual({
      lock: 'redis-locks:keyed:{a%7Db}',
      fence: 'redis-locks:keyed:{a%7Db}:fence',
    });
  });

  it('stores a caller-chosen value as the owner token, and a random one by default', async () => {
    const locks = keyed();
    const chosen = await locks.acquire('job-1', { ttl: 5000, value: 'scheduler-run-42' });
    expect(chosen.token).toBe('scheduler-run-42');
    expect(await client.get(locks.keysOf('job-1').lock)).toBe('scheduler-run-42');
    const random = await locks.acquire('job-2', { ttl: 5000 });
    expect(random.token).toMatch(/^[0-9a-f]{32}$/);
    expect(await client.get(locks.keysOf('job-2').lock)).toBe(random.token);
    expect(await chosen.release()).toBe('released');
    expect(await random.release()).toBe('released');
    expect(await client.exists(locks.keysOf('job-1').lock, locks.keysOf('job-2').lock)).toBe(0);
  });

  it('rejects an invalid value, naming options.value, before any command reaches Redis', async () => {
    const { adapter, scripts } = countingAdapter(toAdapter(client));
    const locks = keyed({ client: adapter });
    await expect(locks.acquire('r', { ttl: 1000, value: '' })).rejects.toThrow(RangeError);
    await expect(locks.acquire('r', { ttl: 1000, value: '' })).rejects.toThrow(/options\.value/);
    await expect(locks.tryAcquire('r', { ttl: 1000, value: 'x'.repeat(1025) })).rejects.toThrow(
      /options\.value must be a non-empty string of at most 1024 bytes; received one of 1025 bytes/,
    );
    await expect(locks.acquire('r', { ttl: 1000, value: 42 as never })).rejects.toThrow(TypeError);
    await expect(locks.using('r', { ttl: 1000, value: null as never }, async () => 1)).rejects.toThrow(
      /options\.value/,
    );
    await expect(locks.inspect('r', { value: '' })).rejects.toThrow(/options\.value/);
    await expect(locks.lockFromValue('r', '' as string)).rejects.toThrow(/value must be a non-empty string/);
    await expect(locks.lockFromValue('', 'v')).rejects.toThrow(/resource/);
    // A multi-byte value is measured in bytes: 342 × 3 bytes > 1024.
    await expect(locks.acquire('r', { ttl: 1000, value: '€'.repeat(342) })).rejects.toThrow(RangeError);
    expect(scripts).toEqual([]);
    // 1024 bytes exactly is fine.
    const lock = await locks.acquire('r', { ttl: 1000, value: 'x'.repeat(1024) });
    expect(await lock.release()).toBe('released');
  });

  it('makes one attempt by default; retries are opt-in via waitTimeout', async () => {
    const locks = keyed();
    const held = await locks.acquire('busy', { ttl: 5000 });
    const started = Date.now();
    const error = await locks.acquire('busy', { ttl: 5000 }).catch((e: unknown) => e);
    expect(isLockError(error, 'LOCK_TIMEOUT')).toBe(true);
    expect((error as { attempts: number }).attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(500);
    expect(await locks.tryAcquire('busy', { ttl: 5000 })).toBeNull();

    const waiting = locks.acquire('busy', { ttl: 5000, waitTimeout: 3000, retry: { delay: 20, jitter: 5 } });
    setTimeout(() => void held.release(), 100);
    const next = await waiting;
    expect(next.fencingToken).toBe((held.fencingToken ?? 0) + 1);
    await next.release();

    const patient = keyed({ waitTimeout: 3000, retry: { delay: 20, jitter: 5 } });
    const first = await patient.acquire('busy2', { ttl: 5000 });
    setTimeout(() => void first.release(), 100);
    await (await patient.acquire('busy2', { ttl: 5000 })).release();
  });

  it('release and extend with the wrong value change nothing and log a warning without the value', async () => {
    const log = recordingLogger();
    const locks = keyed({ logger: log.logger });
    const lock = await locks.acquire('shared', { ttl: 5000, value: 'right-value-123' });
    const { lock: key } = locks.keysOf('shared');
    const impostor = { resource: 'shared', token: 'wrong-value-456' } as Lock;

    expect(await locks.release(impostor)).toBe('not-owner');
    await expect(locks.extend(impostor, 60_000)).rejects.toSatisfy((e: unknown) =>
      isLockError(e, 'LOCK_LOST'),
    );
    expect(await client.get(key)).toBe('right-value-123');
    expect(await client.pttl(key)).toBeLessThanOrEqual(5000);

    const warnings = log.entries('warn');
    expect(warnings.map((w) => [w.event, w.operation, w.resource, w.value])).toEqual([
      ['value_mismatch', 'release', 'shared', fingerprint('wrong-value-456')],
      ['value_mismatch', 'extend', 'shared', fingerprint('wrong-value-456')],
    ]);
    expect(warnings[0]!.message).toMatch(/release refused: "shared" is held with another value/);
    const written = JSON.stringify(log.calls);
    expect(written).not.toContain('wrong-value-456');
    expect(written).not.toContain('right-value-123');

    // The right value still works; a release of a lock already gone is 'expired' and logs no warning.
    await lock.extend(10_000);
    expect(await lock.release()).toBe('released');
    expect(await locks.release({ resource: 'shared', token: 'right-value-123' } as Lock)).toBe('expired');
    expect(log.entries('warn')).toHaveLength(2);
    expect(log.entries('error')).toHaveLength(0);
  });

  it('is silent by default: no logger, nothing written to the console', async () => {
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => undefined),
    );
    try {
      const locks = keyed();
      const lock = await locks.acquire('quiet', { ttl: 5000 });
      expect(await locks.release({ resource: 'quiet', token: 'nope' } as Lock)).toBe('not-owner');
      await expect(locks.lockFromValue('quiet', 'nope')).rejects.toThrow(/held with another value/);
      await lock.release();
      await client.hset(locks.keysOf('broken').lock, 'f', 'v');
      await expect(locks.release({ resource: 'broken', token: 'v' } as Lock)).rejects.toThrow(/WRONGTYPE/);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('logs Redis errors at error level and rejects with LockRedisError', async () => {
    const log = recordingLogger();
    const locks = keyed({ logger: log.logger });
    await client.hset(locks.keysOf('hash').lock, 'field', 'value');
    const error = await locks.release({ resource: 'hash', token: 'v' } as Lock).catch((e: unknown) => e);
    expect(isLockError(error, 'LOCK_REDIS')).toBe(true);
    expect(String((error as Error).cause)).toMatch(/WRONGTYPE/);
    await expect(locks.inspect('hash', { value: 'v' })).rejects.toSatisfy((e: unknown) =>
      isLockError(e, 'LOCK_REDIS'),
    );
    const errors = log.entries('error');
    expect(errors.map((e) => [e.event, e.operation, e.resource])).toEqual([
      ['redis_error', 'release', 'hash'],
      ['redis_error', 'inspect', 'hash'],
    ]);
    expect(errors[0]!.error).toBeInstanceOf(Error);
  });

  it('inspect with a value says whether it matches, without revealing the stored value', async () => {
    const locks = keyed();
    expect(await locks.inspect('free')).toBeNull();
    expect(await locks.inspect('free', { value: 'v' })).toBeNull();
    const lock = await locks.acquire('held', { ttl: 5000, value: 'owner-a' });
    const plain = await locks.inspect('held');
    expect(plain).toEqual({ resource: 'held', ttl: expect.any(Number), fencingToken: lock.fencingToken });
    expect(plain).not.toHaveProperty('matches');
    expect(plain!.ttl).toBeGreaterThan(4000);
    expect(await locks.inspect('held', { value: 'owner-a' })).toMatchObject({ matches: true });
    const other = await locks.inspect('held', { value: 'owner-b' });
    expect(other).toMatchObject({ resource: 'held', matches: false, fencingToken: lock.fencingToken });
    expect(JSON.stringify(other)).not.toContain('owner-a');
    expect(await locks.inspect('held', {})).not.toHaveProperty('matches');
    await lock.release();
  });

  it('issues strictly increasing fencing tokens per resource, also seen by inspect and lockFromValue', async () => {
    const locks = keyed();
    const tokens: number[] = [];
    for (let i = 0; i < 5; i++) {
      const lock = await locks.acquire('fenced', { ttl: 5000, value: `v${i}` });
      tokens.push(lock.fencingToken!);
      expect((await locks.inspect('fenced'))!.fencingToken).toBe(lock.fencingToken);
      expect((await locks.lockFromValue('fenced', `v${i}`)).fencingToken).toBe(lock.fencingToken);
      await lock.release();
    }
    expect(tokens).toEqual([1, 2, 3, 4, 5]);
    const other = await locks.acquire('other-resource', { ttl: 5000 });
    expect(other.fencingToken).toBe(1);
    await other.release();
  });

  it('hands a lock off between processes: another instance on another connection extends and releases it by value', async () => {
    const namespace = uniqueKey('keyed-handoff');
    namespaces.push(namespace);
    const schedulerLog = recordingLogger();
    const scheduler = createKeyedLock({ client, namespace });
    const worker = createKeyedLock({ client: nodeRedis, namespace, logger: schedulerLog.logger });
    open.push(scheduler, worker);

    const started = Date.now();
    const taken = await scheduler.acquire('job-7', { ttl: 4000, value: 'job-7-run-1' });
    const handed = await worker.lockFromValue('job-7', 'job-7-run-1');
    expect(handed).toBeInstanceOf(LockHandle);
    expect(handed.resource).toBe('job-7');
    expect(handed.token).toBe('job-7-run-1');
    expect(handed.fencingToken).toBe(taken.fencingToken);
    expect(handed.expiresAt).toBeGreaterThan(started + 3000);
    expect(handed.expiresAt).toBeLessThanOrEqual(Date.now() + 4000);

    await handed.extend(20_000);
    expect(handed.expiresAt).toBeGreaterThan(Date.now() + 19_000);
    const pttl = await client.pttl(scheduler.keysOf('job-7').lock);
    expect(pttl).toBeGreaterThan(19_000);

    expect(await handed.release()).toBe('released');
    expect(handed.signal.aborted).toBe(true);
    expect(await handed.release()).toBe('released'); // idempotent
    expect(await scheduler.inspect('job-7')).toBeNull();
    // The scheduler's own handle now finds the lock gone.
    expect(await taken.release()).toBe('expired');
    expect(schedulerLog.entries('warn')).toEqual([]);
  });

  it('lockFromValue rejects with LockLostError for a wrong value (logged) or a free resource', async () => {
    const log = recordingLogger();
    const locks = keyed({ logger: log.logger });
    const lostFree = await locks.lockFromValue('nothing', 'v').catch((e: unknown) => e);
    expect(isLockError(lostFree, 'LOCK_LOST')).toBe(true);
    expect((lostFree as Error).message).toMatch(/no lock is held on it/);

    const lock = await locks.acquire('taken', { ttl: 5000, value: 'right' });
    const lostWrong = await locks.lockFromValue('taken', 'wrong').catch((e: unknown) => e);
    expect(isLockError(lostWrong, 'LOCK_LOST')).toBe(true);
    expect((lostWrong as Error).message).toMatch(/held with another value/);
    expect(log.entries('warn').map((w) => [w.operation, w.value])).toEqual([
      ['lockFromValue', fingerprint('wrong')],
    ]);
    expect(await client.get(locks.keysOf('taken').lock)).toBe('right');
    await lock.release();
  });

  it('a handed-off lock that another owner took over fails to extend and signals the loss', async () => {
    const locks = keyed();
    const first = await locks.acquire('flip', { ttl: 100, value: 'one' });
    const handed = await locks.lockFromValue('flip', 'one');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = await locks.acquire('flip', { ttl: 5000, value: 'two' });
    await expect(handed.extend(5000)).rejects.toSatisfy((e: unknown) => isLockError(e, 'LOCK_LOST'));
    expect(handed.signal.aborted).toBe(true);
    expect(await first.release()).toBe('not-owner');
    expect(await client.get(locks.keysOf('flip').lock)).toBe('two');
    expect(second.fencingToken).toBe((first.fencingToken ?? 0) + 1);
    await second.release();
  });

  it('works on a node-redis client, and using() accepts a value', async () => {
    const locks = keyed({ client: nodeRedis });
    const result = await locks.using('n', { ttl: 5000, value: 'via-using' }, async (_signal, lock) => {
      expect(lock.token).toBe('via-using');
      expect(await client.get(locks.keysOf('n').lock)).toBe('via-using');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await locks.inspect('n')).toBeNull();
  });

  it('close() rejects later calls and never quits the client it was given', async () => {
    const locks = keyed();
    await locks.close();
    await expect(locks.acquire('x', { ttl: 1000 })).rejects.toSatisfy((e: unknown) =>
      isLockError(e, 'LOCK_CLOSED'),
    );
    await expect(locks.inspect('x', { value: 'v' })).rejects.toSatisfy((e: unknown) =>
      isLockError(e, 'LOCK_CLOSED'),
    );
    await expect(locks.lockFromValue('x', 'v')).rejects.toSatisfy((e: unknown) =>
      isLockError(e, 'LOCK_CLOSED'),
    );
    expect(await client.ping()).toBe('PONG');
    expect(nodeRedis.isOpen).toBe(true);
  });
});
