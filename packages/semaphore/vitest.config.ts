import { redisTestConfig } from '@redis-locks/testing/vitest';
import { defineConfig } from 'vitest/config';

const base = redisTestConfig();

// The test files mostly wait on Redis and timers, not the CPU: run two at once rather than the
// default (CPUs - 1) so the two conformance runs do not serialise the whole package.
export default defineConfig({ ...base, test: { ...base.test, maxWorkers: 2 } });
