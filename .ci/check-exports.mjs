// Loads every entry of the package in the current directory the way users do, with require() and with
// import, and fails when the two disagree: a named entry must export the same names in both formats; a
// default-only drop-in (e.g. `require('@redis-locks/redlock/redlock-async')`) must give the value itself in
// CJS — the original library's shape — not a `{ default }` wrapper. Run after the build (`check:package`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const packageJson = join(process.cwd(), 'package.json');
const pkg = JSON.parse(readFileSync(packageJson, 'utf8'));
const require = createRequire(packageJson);
const shapeOf = (value) =>
  typeof value === 'function' ? `function ${value.name}` : Object.keys(value).sort();

for (const subpath of Object.keys(pkg.exports)) {
  if (subpath === './package.json') continue;
  const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
  const cjs = require(specifier);
  // import() would resolve from this script's folder: load the file the exports map names instead.
  const esm = await import(pathToFileURL(join(process.cwd(), pkg.exports[subpath].import.default)).href);
  const named = Object.keys(esm).filter((name) => name !== 'default' && name !== 'module.exports');
  if (named.length > 0) {
    assert.deepEqual(
      Object.keys(cjs).sort(),
      named.sort(),
      `${specifier}: CJS and ESM export different names`,
    );
    // Bundlers can rename classes (e.g. `_class`), which shows in stack traces and util.inspect.
    for (const name of named) {
      if (typeof esm[name] !== 'function') continue;
      assert.equal(cjs[name].name, esm[name].name, `${specifier}: ${name} is named differently in CJS`);
      assert.equal(esm[name].name, name, `${specifier}: ${name} is named ${esm[name].name} in ESM`);
    }
    continue;
  }
  assert.ok(esm.default !== undefined, `${specifier}: exports nothing`);
  assert.ok(
    !('default' in Object(cjs)) || cjs.default !== esm.default,
    `${specifier}: require() gives a wrapper`,
  );
  assert.deepEqual(shapeOf(cjs), shapeOf(esm.default), `${specifier}: require() and the ESM default differ`);
}
console.log(`exports OK: ${pkg.name} (${Object.keys(pkg.exports).length - 1} entries agree in CJS and ESM)`);
