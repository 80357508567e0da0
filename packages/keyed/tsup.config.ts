import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/ac-redislock.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // `require('@redis-locks/keyed/ac-redislock')` must return the singleton itself, like `require('ac-redislock')`:
  // cjsInterop emits `module.exports = exports.default` for a module whose only export is `default` (and
  // `export =` in its .d.cts); tsup applies it only to split CJS chunks.
  cjsInterop: true,
  splitting: true,
});
