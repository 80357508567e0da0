import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { describe, expectTypeOf, it } from 'vitest';
import warlock, {
  type Warlock,
  type WarlockLockOutcome,
  type WarlockObtainedLock,
  type WarlockTouchResult,
  type WarlockUnlock,
  type WarlockUnlockResult,
} from '../src/warlock.js';

describe('warlock types', () => {
  it('accepts both clients and returns a Warlock', () => {
    expectTypeOf(warlock(new Redis({ lazyConnect: true }))).toEqualTypeOf<Warlock>();
    expectTypeOf(warlock(createClient())).toEqualTypeOf<Warlock>();
  });

  it('has callback forms with the original return values and promise forms without a callback', () => {
    const w = {} as Warlock;
    expectTypeOf(w.lock('k', 1000, () => undefined)).toEqualTypeOf<string>();
    expectTypeOf(w.lock('k', 1000)).toEqualTypeOf<Promise<WarlockLockOutcome>>();
    expectTypeOf(w.unlock('k', 'id', () => undefined)).toEqualTypeOf<void>();
    expectTypeOf(w.unlock('k', 'id')).toEqualTypeOf<Promise<WarlockUnlockResult>>();
    expectTypeOf(w.optimistic('k', 1000, 3, 100)).toEqualTypeOf<Promise<WarlockObtainedLock>>();
    expectTypeOf(w.touch('k', 'id', 1000)).toEqualTypeOf<Promise<WarlockTouchResult>>();
    w.lock('k', 1000, (err, unlock, id) => {
      expectTypeOf(err).toEqualTypeOf<Error | null>();
      expectTypeOf(unlock).toEqualTypeOf<WarlockUnlock | false | undefined>();
      expectTypeOf(id).toEqualTypeOf<string | undefined>();
      if (unlock) expectTypeOf(unlock()).toEqualTypeOf<Promise<0 | 1>>();
    });
    w.optimistic('k', 1000, 3, 100, (_err, unlock, id) => {
      expectTypeOf(unlock).toEqualTypeOf<WarlockUnlock | undefined>();
      expectTypeOf(id).toEqualTypeOf<string | undefined>();
    });
  });
});
