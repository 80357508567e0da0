import { redisTestConfig } from '@redis-locks/testing/vitest';
import { defineConfig } from 'vitest/config';
export default defineConfig(redisTestConfig());
