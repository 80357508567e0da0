// Checks the built package the way users load it: `require('@redis-locks/redlock/redlock-async')` must be the
// Redlock class itself (as redlock-async's was), the ESM default import the same class, and the index entry
// must keep its named exports in both formats. Run after `tsup` (part of `check:package`).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const cjsRedlock = require('@redis-locks/redlock/redlock-async');
assert.equal(
  typeof cjsRedlock,
  'function',
  'require("@redis-locks/redlock/redlock-async") must return the class',
);
assert.equal(cjsRedlock.name, 'Redlock');
assert.equal(typeof cjsRedlock.LockError, 'function', 'Redlock.LockError must be attached to the class');
assert.equal(typeof cjsRedlock.Lock, 'function', 'Redlock.Lock must be attached to the class');

const esmRedlock = await import('@redis-locks/redlock/redlock-async');
assert.equal(esmRedlock.default.name, 'Redlock', 'the ESM default export must be the class');

const cjsIndex = require('@redis-locks/redlock');
const esmIndex = await import('@redis-locks/redlock');
assert.equal(typeof cjsIndex.createRedlock, 'function', 'the CJS index must keep its named exports');
assert.deepEqual(
  Object.keys(cjsIndex).sort(),
  Object.keys(esmIndex)
    .filter((name) => name !== 'default' && name !== 'module.exports')
    .sort(),
  'the CJS and ESM index entries must export the same names',
);

console.log(
  'exports OK: Redlock is module.exports (CJS) and the default export (ESM); index named exports intact',
);
