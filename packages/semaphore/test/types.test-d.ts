import type { LockStrategy } from '@redis-locks/core';
import type { Redis } from 'ioredis';
import { describe, expectTypeOf, it } from 'vitest';
import { createSemaphore, type Semaphore } from '../src/index.js';
import IoredfourLock, { type AcquireResult, type ReleaseResult } from '../src/ioredfour.js';
import RedfourLock from '../src/redfour.js';

declare const client: Redis;

describe('types', () => {
  it('createSemaphore returns a LockStrategy', () => {
    createSemaphore({ client }) satisfies LockStrategy;
    expectTypeOf(createSemaphore({ client, fair: true })).toEqualTypeOf<Semaphore>();
  });

  it('the drop-ins keep the originals’ shapes', () => {
    const lock = new IoredfourLock({ redis: client });
    expectTypeOf(lock.acquireLock('id', 1000)).resolves.toEqualTypeOf<AcquireResult>();
    expectTypeOf(lock.releaseLock({ id: 'id', index: 1 })).resolves.toEqualTypeOf<ReleaseResult>();
    expectTypeOf(new RedfourLock({ redis: 'redis://localhost' }).quit()).resolves.toBeVoid();
  });
});
