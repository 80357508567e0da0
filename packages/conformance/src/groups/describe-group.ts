import { afterAll, describe, expect } from 'vitest';
import type { SuiteFixture } from '../fixture.js';

/** A `describe` for one group that, once the group is done, asserts it left no lock keys behind. */
export function describeGroup(f: SuiteFixture, title: string, body: () => void): void {
  describe(title, () => {
    body();
    afterAll(async () => {
      expect(await f.lockKeys(), `lock keys left behind by the "${title}" group`).toEqual([]);
    });
  });
}
