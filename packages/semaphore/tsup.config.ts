import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/redfour.ts', 'src/ioredfour.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // redfour.ts and ioredfour.ts have only a default export: their CJS builds become `module.exports = Lock`
  // (and `export = Lock` in the .d.cts), as `require('redfour')` / `require('ioredfour')` returned the class.
  // tsup applies cjsInterop to CJS only when splitting is on; the index entry keeps its named exports.
  cjsInterop: true,
  splitting: true,
  // The drop-ins load ioredis lazily with createRequire(import.meta.url), shimmed in the CJS build.
  shims: true,
});
