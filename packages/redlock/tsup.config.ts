import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/redlock-async.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // redlock-async.ts has only a default export: its CJS build becomes `module.exports = Redlock` (and
  // `export = Redlock` in redlock-async.d.cts), as redlock-async's `require()` returned the class itself.
  // tsup applies cjsInterop to CJS only when splitting is on. The index entry keeps its named exports;
  // scripts/check-exports.mjs (in check:package) verifies both.
  cjsInterop: true,
  splitting: true,
  // Class names users see (Redlock, LockError, Lock) survive bundling.
  keepNames: true,
});
