import { redisTestConfig } from '@redis-locks/testing/vitest';
import { defineConfig } from 'vitest/config';

// `pnpm test:faults`: long fault-injection runs (node kills under stress), kept out of `pnpm test`.
const base = redisTestConfig({ timeout: 120_000 });
export default defineConfig({ test: { ...base.test, include: ['test/faults/**/*.faults.ts'] } });
