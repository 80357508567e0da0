import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/warlock.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // warlock.ts has only a default export: its CJS build becomes `module.exports = warlock` (and
  // `export = warlock` in warlock.d.cts), as node-redis-warlock's `require()` returned the factory.
  // tsup applies cjsInterop to CJS only when splitting is on. Entries with named exports (index)
  // are left as they are; scripts/check-exports.mjs (in check:package) verifies both.
  cjsInterop: true,
  splitting: true,
});
