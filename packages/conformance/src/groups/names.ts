import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { expectRefused } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

/** Resource names that break naive key building, glob matching or hash tags. */
export const AWKWARD_NAMES: readonly string[] = [
  `double"quote`,
  "single'quote",
  'back`tick',
  '[brackets]',
  '{a}',
  '}',
  '{',
  '}{',
  'glob*?[]',
  '*',
  'with spaces and\ttab',
  'ünïcödé 🔒 名前',
  ':',
  'a:b:{c}:d',
  '%7D%25',
  'new\nline',
];

/** Pairs of names a naive implementation maps to the same key or slot pattern. */
export const LOOKALIKE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['a*', 'ab'],
  ['{x}', 'x'],
  ['x?', 'xy'],
  ['[ab]', 'a'],
  ['%7D', '}'],
  ['%', '%25'],
  ['a}:fence', 'a'],
];

/** 11. Awkward resource names work, stay exclusive and do not collide. */
export function namesGroup(f: SuiteFixture): void {
  describeGroup(f, conformanceGroups.names, () => {
    it.each(AWKWARD_NAMES.map((name) => [JSON.stringify(name), name] as const))(
      'acquires, excludes and releases %s',
      async (_label, name) => {
        const resource = name; // the namespace is unique per run, so the bare name is too
        const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
        expect(lock).not.toBeNull();
        expect(lock!.resource).toBe(resource);
        await expectRefused(f.other.tryAcquire(resource, { ttl: f.t(1000) }));
        expect((await f.other.inspect(resource))?.resource).toBe(resource);
        expect(await lock!.release()).toBe('released');
        expect(await f.strategy.inspect(resource)).toBeNull();
        const again = await f.other.tryAcquire(resource, { ttl: f.t(1000) });
        expect(again).not.toBeNull();
        expect(await again!.release()).toBe('released');
      },
    );

    it.each(LOOKALIKE_PAIRS.map(([a, b]) => [JSON.stringify(a), JSON.stringify(b), a, b] as const))(
      'keeps %s and %s apart',
      async (_labelA, _labelB, a, b) => {
        const first = await f.strategy.tryAcquire(a, { ttl: f.t(5000) });
        expect(first).not.toBeNull();
        try {
          const second = await f.other.tryAcquire(b, { ttl: f.t(5000) });
          expect(second, `holding ${JSON.stringify(a)} blocked ${JSON.stringify(b)}`).not.toBeNull();
          expect(await second!.release()).toBe('released');
          expect(
            await f.other.inspect(a),
            `releasing ${JSON.stringify(b)} freed ${JSON.stringify(a)}`,
          ).not.toBeNull();
          expect(await first!.release()).toBe('released');
        } finally {
          await first!.release();
        }
        expect(await f.strategy.inspect(b)).toBeNull();
      },
    );
  });
}
