import { defineConfig } from 'vitest/config';

// This package cannot use its own dist, so it points at the global setup source directly.
export default defineConfig({
  test: {
    globalSetup: ['./src/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
