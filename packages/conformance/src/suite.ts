import { afterAll, beforeAll, describe } from 'vitest';
import { SuiteFixture } from './fixture.js';
import { badInputGroup } from './groups/bad-input.js';
import { contractGroup } from './groups/contract.js';
import { exclusivityGroup } from './groups/exclusivity.js';
import { expiryGroup } from './groups/expiry.js';
import { extendGroup } from './groups/extend.js';
import { fencingGroup } from './groups/fencing.js';
import { leftoversGroup } from './groups/leftovers.js';
import { namesGroup } from './groups/names.js';
import { ownershipGroup } from './groups/ownership.js';
import { releaseGroup } from './groups/release.js';
import { stressGroup } from './groups/stress.js';
import { usingGroup } from './groups/using.js';
import { waitingGroup } from './groups/waiting.js';
import type { ClientKind, ConformanceTarget } from './types.js';

const ALL_KINDS: readonly ClientKind[] = ['ioredis', 'node-redis'];

/**
 * Registers the conformance suite for `target`: every group once per client kind, gated only by the
 * strategy's `capabilities`. Call it at the top level of a vitest test file.
 */
export function describeLockStrategy(target: ConformanceTarget): void {
  if (typeof target !== 'object' || target === null || typeof target.create !== 'function') {
    throw new TypeError('describeLockStrategy(target) needs { name, create(context) }.');
  }
  const kinds = target.clientKinds ?? ALL_KINDS;
  for (const kind of kinds) {
    if (!ALL_KINDS.includes(kind))
      throw new RangeError(`clientKinds: unknown client kind ${JSON.stringify(kind)}.`);
  }
  describe(`${target.name} conformance`, () => {
    for (const kind of kinds) {
      describe(kind, () => {
        const f = new SuiteFixture(target, kind);
        beforeAll(() => f.setup());
        afterAll(() => f.teardown());
        contractGroup(f);
        exclusivityGroup(f);
        ownershipGroup(f);
        releaseGroup(f);
        expiryGroup(f);
        extendGroup(f);
        waitingGroup(f);
        fencingGroup(f);
        usingGroup(f);
        badInputGroup(f);
        namesGroup(f);
        stressGroup(f);
        leftoversGroup(f);
      });
    }
  });
}
