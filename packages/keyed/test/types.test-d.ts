import type { Lock, LockStrategy } from '@redis-locks/core';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { describe, expectTypeOf, it } from 'vitest';
import redisLock, { type RedisLock } from '../src/ac-redislock.js';
import { createKeyedLock, type KeyedLock, type KeyedLockInfo } from '../src/index.js';

describe('keyed types', () => {
  it('createKeyedLock(...) satisfies LockStrategy with either client', () => {
    const ioredis = createKeyedLock({ client: new Redis({ lazyConnect: true }) }) satisfies LockStrategy;
    const nodeRedis = createKeyedLock({ client: createClient(), logger: console }) satisfies LockStrategy;
    expectTypeOf(ioredis).toEqualTypeOf<KeyedLock>();
    expectTypeOf(nodeRedis).toMatchTypeOf<LockStrategy>();
  });

  it('takes a caller-chosen value, inspects with a value, and hands locks off by value', () => {
    const locks = {} as KeyedLock;
    expectTypeOf(locks.acquire('r', { ttl: 1000, value: 'v' })).toEqualTypeOf<Promise<Lock>>();
    expectTypeOf(locks.tryAcquire('r', { ttl: 1000, value: 'v' })).toEqualTypeOf<Promise<Lock | null>>();
    expectTypeOf(locks.inspect('r', { value: 'v' })).toEqualTypeOf<Promise<KeyedLockInfo | null>>();
    expectTypeOf(locks.lockFromValue('r', 'v')).toEqualTypeOf<Promise<Lock>>();
    // @ts-expect-error value must be a string
    void locks.acquire('r', { ttl: 1000, value: 1 });
  });
});

describe('ac-redislock types', () => {
  it('is a singleton with one-object-argument async methods and create()', () => {
    expectTypeOf(redisLock).toEqualTypeOf<RedisLock>();
    expectTypeOf(redisLock.create()).toEqualTypeOf<RedisLock>();
    expectTypeOf(redisLock.lockKey({ redisKey: 'k', expires: 10 })).toEqualTypeOf<Promise<string>>();
    expectTypeOf(redisLock.releaseLock({ redisKey: 'k', value: 'v', suppressMismatch: true })).toEqualTypeOf<
      Promise<void>
    >();
    expectTypeOf(redisLock.getLock({ redisKey: 'k' })).toEqualTypeOf<Promise<string | null>>();
    expectTypeOf(redisLock.init({ redis: 'redis://localhost:6379', logLevel: 'warn' })).toEqualTypeOf<
      Promise<void>
    >();
  });
});
