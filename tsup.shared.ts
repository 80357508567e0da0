import { rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const common: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  target: 'node20',
  // Both builds below write to dist/ at the same time: it is emptied once, here, instead.
  clean: false,
};

/**
 * The build of a package with drop-in entries. `entries` are bundled by esbuild as they are. `dropIns`
 * export only `default`, and `require()` of them must return that value itself, like the libraries they
 * replace: tsup's cjsInterop does that, but only for split CJS output, which it converts with sucrase —
 * that rewrites `??` and `?.` into helper calls and names classes with fields `_class` — so only the
 * drop-ins are built that way (with keepNames, for the class names their users see).
 */
export function buildWithDropIns(entries: string[], dropIns: string[], options: Options = {}) {
  rmSync('dist', { recursive: true, force: true });
  return defineConfig([
    { ...common, ...options, entry: entries },
    { ...common, ...options, entry: dropIns, cjsInterop: true, splitting: true, keepNames: true },
  ]);
}
