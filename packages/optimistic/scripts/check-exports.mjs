// Checks the built package the way users load it: `require('@redis-locks/optimistic/warlock')` must be the
// factory itself (as node-redis-warlock's was), the ESM default import the same function, and the index
// entry must keep its named exports in both formats. Run after `tsup` (part of `check:package`).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const cjsWarlock = require('@redis-locks/optimistic/warlock');
assert.equal(
  typeof cjsWarlock,
  'function',
  'require("@redis-locks/optimistic/warlock") must return the factory',
);
assert.equal(cjsWarlock.name, 'warlock');

const esmWarlock = await import('@redis-locks/optimistic/warlock');
assert.equal(typeof esmWarlock.default, 'function', 'the ESM default export must be the factory');
assert.equal(esmWarlock.default.name, 'warlock');

const cjsIndex = require('@redis-locks/optimistic');
const esmIndex = await import('@redis-locks/optimistic');
assert.equal(typeof cjsIndex.createOptimisticLock, 'function', 'the CJS index must keep its named exports');
assert.deepEqual(
  Object.keys(cjsIndex).sort(),
  Object.keys(esmIndex)
    .filter((name) => name !== 'default' && name !== 'module.exports')
    .sort(),
  'the CJS and ESM index entries must export the same names',
);

console.log(
  'exports OK: warlock is module.exports (CJS) and the default export (ESM); index named exports intact',
);
