// Checks the built package the way users load it: `require('@redis-locks/semaphore/redfour')` and
// `.../ioredfour` must be the Lock class itself (as `require('redfour')` / `require('ioredfour')` were), the
// ESM default import the same class, and the index entry must keep its named exports in both formats.
// Run after `tsup` (part of `check:package`).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

for (const subpath of ['redfour', 'ioredfour']) {
  const cjs = require(`@redis-locks/semaphore/${subpath}`);
  assert.equal(typeof cjs, 'function', `require("@redis-locks/semaphore/${subpath}") must return the class`);
  assert.equal(cjs.name, 'Lock');
  for (const method of [
    'acquireLock',
    'releaseLock',
    'waitAcquireLock',
    'extendLock',
    'renewLock',
    'close',
    'quit',
  ]) {
    assert.equal(typeof cjs.prototype[method], 'function', `${subpath}: Lock#${method} is missing`);
  }
  const esm = await import(`@redis-locks/semaphore/${subpath}`);
  assert.equal(typeof esm.default, 'function', `the ESM default export of ./${subpath} must be the class`);
  assert.equal(esm.default.name, 'Lock');
}

const cjsIndex = require('@redis-locks/semaphore');
const esmIndex = await import('@redis-locks/semaphore');
assert.equal(typeof cjsIndex.createSemaphore, 'function', 'the CJS index must keep its named exports');
assert.deepEqual(
  Object.keys(cjsIndex).sort(),
  Object.keys(esmIndex)
    .filter((name) => name !== 'default' && name !== 'module.exports')
    .sort(),
  'the CJS and ESM index entries must export the same names',
);

console.log(
  'exports OK: redfour/ioredfour are module.exports (CJS) and the default export (ESM); index intact',
);
