import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // The suite must use the test runner's own vitest (a peer), never a bundled copy.
  external: ['vitest', '@redis-locks/core', '@redis-locks/testing'],
});
