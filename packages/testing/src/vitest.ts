import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from 'vitest';

declare module 'vitest' {
  /** Values provided by the `@redis-locks/testing` global setup. */
  export interface ProvidedContext {
    /** URL of the Redis shared by the test run (`inject('redisUrl')`). */
    redisUrl: string;
  }
}

/** Options for `redisTestConfig()`. */
export interface RedisTestConfigOptions {
  /** Per-test timeout in ms (default 20000). */
  timeout?: number;
}

/** The vitest config fragment returned by `redisTestConfig()`; pass it to `defineConfig`. */
export interface RedisTestConfig {
  /** Vitest `test` options. */
  test: {
    /** Absolute path of this package's global setup module. */
    globalSetup: string[];
    /** Per-test timeout in ms. */
    testTimeout: number;
    /** Hook timeout in ms. */
    hookTimeout: number;
  };
}

/** Absolute path of the global setup module that sits next to this file (ESM build, or the .ts source). */
export function redisGlobalSetupPath(): string {
  const self = fileURLToPath(import.meta.url);
  const ext = extname(self);
  const dir = dirname(self);
  // Vitest imports global setup files as ES modules, so the CJS build points at the ESM file too.
  const candidates =
    ext === '.ts' || ext === '.mts' || ext === '.cts'
      ? ['global-setup.ts', 'global-setup.js']
      : ['global-setup.js', 'global-setup.mjs', 'global-setup.ts'];
  for (const name of candidates) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  return join(dir, candidates[0]!);
}

/**
 * Vitest config that resolves one Redis per test run and provides it as `inject('redisUrl')`:
 * `export default defineConfig(redisTestConfig())`.
 */
export function redisTestConfig(options: RedisTestConfigOptions = {}): RedisTestConfig {
  return {
    test: {
      globalSetup: [redisGlobalSetupPath()],
      testTimeout: options.timeout ?? 20000,
      hookTimeout: 30000,
    },
  };
}
