import { defineConfig } from 'vitest/config';

// One results file per run (every test file runs in its own process).
const runId = process.env.FAULTS_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');

// `pnpm test:faults`: the full campaign (not part of `pnpm check`; ~10 min on 2 cores).
export default defineConfig({
  test: {
    include: ['test/**/*.faults.test.ts'],
    env: { FAULTS_PROFILE: 'full', FAULTS_RUN_ID: runId },
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
