import { defineConfig } from 'tsup';

export default defineConfig({
  // Named entries, so every output lands flat in dist/: the compare command forks dist/compare-worker.js.
  entry: {
    index: 'src/index.ts',
    bin: 'src/bin.ts',
    'compare-worker': 'src/compare/compare-worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // import.meta.url in the CommonJS build, which locates compare-worker.js and package.json.
  shims: true,
});
