import { defineConfig } from 'vitest/config';

// One results file per run (every test file runs in its own process).
const runId = process.env.FAULTS_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');

// `pnpm test:soak`: 30 min of load with a random fault every 30 s (FAULTS_SOAK_MINUTES to shorten).
export default defineConfig({
  test: {
    include: ['test/soak.test.ts'],
    env: { FAULTS_PROFILE: 'soak', FAULTS_RUN_ID: runId },
    testTimeout: 4 * 60 * 60_000,
    hookTimeout: 60_000,
  },
});
