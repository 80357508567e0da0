import type { AcquireOptions, Lock, LockStrategy } from '@redis-locks/core';
import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { describeError, expectArgumentError } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

type Loose = any;

const BAD_RESOURCES: ReadonlyArray<[string, unknown]> = [
  ['a number', 42],
  ['undefined', undefined],
  ['null', null],
  ['an object', { name: 'x' }],
  ['an empty string', ''],
  ['1025 ASCII bytes', 'r'.repeat(1025)],
  ['1026 UTF-8 bytes in 513 characters', 'é'.repeat(513)],
];

const BAD_TTLS: ReadonlyArray<[string, unknown]> = [
  ['missing', undefined],
  ['0', 0],
  ['negative', -100],
  ['fractional', 1.5],
  ['NaN', Number.NaN],
  ["the string '100'", '100'],
  ['Infinity', Number.POSITIVE_INFINITY],
];

/** Every acquiring entry point, called with `resource` and `options`. */
function acquirers(
  strategy: LockStrategy,
): ReadonlyArray<[string, (resource: unknown, options: unknown) => unknown]> {
  const s = strategy as Loose;
  return [
    ['tryAcquire', (r, o) => s.tryAcquire(r, o)],
    ['acquire', (r, o) => s.acquire(r, o)],
    ['using', (r, o) => s.using(r, o, async () => undefined)],
  ];
}

/** 10. Invalid arguments fail with typed errors naming the parameter, and no command reaches Redis. */
export function badInputGroup(f: SuiteFixture): void {
  const ok = (): AcquireOptions => ({ ttl: f.t(1000), waitTimeout: 0 });

  describeGroup(f, conformanceGroups.badInput, () => {
    it('rejects a bad resource (type, empty, over 1 KiB) naming resource, with no command sent', async () => {
      await f.expectNoCommands(async (strategy) => {
        for (const [label, resource] of BAD_RESOURCES) {
          for (const [method, call] of acquirers(strategy)) {
            await expectArgumentError(
              () => call(resource, ok()),
              /resource/,
              `${method} with ${label} resource`,
            );
          }
          await expectArgumentError(
            () => (strategy as Loose).inspect(resource),
            /resource/,
            `inspect with ${label} resource`,
          );
        }
      });
    });

    it('accepts a resource of exactly 1024 bytes', async () => {
      const lock = await f.strategy.tryAcquire(`${f.resource('max')}-`.padEnd(1024, 'x'), ok());
      expect(lock).not.toBeNull();
      await lock!.release();
    });

    it('rejects a missing or invalid ttl naming ttl, with no command sent', async () => {
      await f.expectNoCommands(async (strategy) => {
        for (const [label, ttl] of BAD_TTLS) {
          for (const [method, call] of acquirers(strategy)) {
            await expectArgumentError(
              () => call(f.resource('bad-ttl'), { ttl }),
              /ttl/,
              `${method} with ${label} ttl`,
            );
          }
        }
      });
    });

    it('rejects a negative or non-numeric waitTimeout naming waitTimeout, with no command sent', async () => {
      await f.expectNoCommands(async (strategy) => {
        for (const waitTimeout of [-1, '100', Number.NaN]) {
          for (const [method, call] of acquirers(strategy)) {
            await expectArgumentError(
              () => call(f.resource('bad-wait'), { ttl: f.t(1000), waitTimeout }),
              /waitTimeout/,
              `${method} with waitTimeout ${String(waitTimeout)}`,
            );
          }
        }
      });
    });

    it('rejects a signal that is not an AbortSignal naming signal, with no command sent', async () => {
      await f.expectNoCommands(async (strategy) => {
        for (const signal of [{}, 'abort', true, { aborted: false }]) {
          for (const [method, call] of acquirers(strategy)) {
            await expectArgumentError(
              () => call(f.resource('bad-signal'), { ttl: f.t(1000), signal }),
              /signal/,
              `${method} with signal ${JSON.stringify(signal)}`,
            );
          }
        }
      });
    });

    it('rejects options that are not an object naming options, with no command sent', async () => {
      await f.expectNoCommands(async (strategy) => {
        for (const options of [undefined, null, 'ttl=100', 100]) {
          for (const [method, call] of acquirers(strategy)) {
            await expectArgumentError(
              () => call(f.resource('bad-options'), options),
              /options/,
              `${method} with options ${String(options)}`,
            );
          }
        }
      });
    });

    it('rejects a nonsensical retry policy naming retry, with no command sent', async () => {
      await f.expectNoCommands(async (strategy) => {
        for (const retry of [
          'fast',
          { delay: -1 },
          { delay: 10, maxAttempts: 0 },
          { delay: 10, jitter: -5 },
        ]) {
          await expectArgumentError(
            () => strategy.acquire(f.resource('bad-retry'), { ttl: f.t(1000), retry: retry as Loose }),
            /retry/,
            `acquire with retry ${JSON.stringify(retry)}`,
          );
        }
      });
    });

    it('rejects extend with a bad ttl naming ttl, with no command sent, and the lock is unchanged', async () => {
      const ttl = f.t(5000);
      const lock = await f.strategy.tryAcquire(f.resource('bad-extend'), { ttl });
      try {
        await f.expectNoCommands(async (strategy) => {
          for (const [label, badTtl] of BAD_TTLS) {
            await expectArgumentError(
              () => (strategy as Loose).extend(lock, badTtl),
              /ttl/,
              `extend with ${label} ttl`,
            );
          }
        });
        for (const [label, badTtl] of BAD_TTLS) {
          await expectArgumentError(
            () => (lock as Loose).extend(badTtl),
            /ttl/,
            `lock.extend with ${label} ttl`,
          );
        }
        expect(lock!.signal.aborted).toBe(false);
        expect((await f.strategy.inspect(lock!.resource))!.ttl).toBeLessThanOrEqual(ttl);
        expect(await lock!.release()).toBe('released');
      } finally {
        await lock!.release();
      }
    });

    it('rejects release and extend of something that is not a lock naming lock, with no command sent', async () => {
      const notLocks: unknown[] = [undefined, null, 'lock', 42, {}, { resource: 'r' }, { token: 'abc' }];
      await f.expectNoCommands(async (strategy) => {
        for (const value of notLocks) {
          await expectArgumentError(
            () => (strategy as Loose).release(value),
            /lock/,
            `release(${JSON.stringify(value)})`,
          );
          await expectArgumentError(
            () => (strategy as Loose).extend(value, f.t(1000)),
            /lock/,
            `extend(${JSON.stringify(value)})`,
          );
        }
      });
    });

    it('rejects using without a function naming fn, with no command sent', async () => {
      await f.expectNoCommands(async (strategy) => {
        for (const fn of [undefined, null, 'run', {}]) {
          await expectArgumentError(
            () => (strategy as Loose).using(f.resource('bad-fn'), { ttl: f.t(1000) }, fn),
            /\bfn\b|function/,
            `using with fn ${String(fn)}`,
          );
        }
      });
    });

    it('throws a TypeError naming the client when created with an unsupported client', async () => {
      let created: LockStrategy | undefined;
      let error: unknown;
      try {
        created = await f.target.create({ ...f.context, client: {}, clients: [{}] });
      } catch (e) {
        error = e;
      }
      await created?.close();
      expect(created === undefined, 'create() accepted {} as a client').toBe(true);
      expect(error instanceof TypeError, `expected a TypeError, got ${describeError(error)}`).toBe(true);
      expect((error as Error).message).toMatch(/client/);
    });

    it('validates before I/O even for a forged lock with a valid shape', async () => {
      const forged = { resource: f.resource('forged-bad-ttl'), token: 'f'.repeat(32) } as unknown as Lock;
      await f.expectNoCommands(async (strategy) => {
        await expectArgumentError(
          () => strategy.extend(forged, 0),
          /ttl/,
          'extend of a forged lock with ttl 0',
        );
        await expectArgumentError(
          () => strategy.extend({ ...forged, resource: '' } as Lock, f.t(1000)),
          /resource/,
          'extend of a lock with an empty resource',
        );
      });
    });
  });
}
