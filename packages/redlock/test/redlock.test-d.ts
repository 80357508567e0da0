import type { LockStrategy } from '@redis-locks/core';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { describe, expectTypeOf, it } from 'vitest';
import { createRedlock, type Redlock } from '../src/index.js';
import RedlockAsync from '../src/redlock-async.js';

describe('redlock types', () => {
  it('is a LockStrategy over mixed clients', () => {
    const strategy = createRedlock({ clients: [new Redis({ lazyConnect: true }), createClient()] });
    expectTypeOf(strategy).toEqualTypeOf<Redlock>();
    expectTypeOf(strategy).toMatchTypeOf<LockStrategy>();
  });

  it('keeps the redlock-async shapes', () => {
    const redlock = new RedlockAsync([new Redis({ lazyConnect: true })], { retryCount: -1 });
    expectTypeOf(redlock.lock('r', 1000)).resolves.toHaveProperty('value').toEqualTypeOf<string>();
    expectTypeOf(redlock.lock('r', 1000)).resolves.toHaveProperty('expiration').toEqualTypeOf<number>();
    expectTypeOf(redlock.quit()).resolves.toEqualTypeOf<unknown[]>();
    expectTypeOf(new RedlockAsync.LockError('m', 1).attempts).toEqualTypeOf<number | undefined>();
  });
});
