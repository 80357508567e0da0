import { defineConfig } from 'vitest/config';

// One results file per run (every test file runs in its own process).
const runId = process.env.FAULTS_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');

// `pnpm test`: the smoke profile — every scenario once, tiny sizes, with its negative control (< 60 s).
export default defineConfig({
  test: {
    include: ['test/**/*.faults.test.ts'],
    env: { FAULTS_PROFILE: 'smoke', FAULTS_RUN_ID: runId },
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
