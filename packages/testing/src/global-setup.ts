import { type ResolvedRedis, resolveRedis } from './resolve.js';

/** The part of vitest's `TestProject` this setup uses. */
export interface ProvideTarget {
  /** Vitest's `project.provide(key, value)`. */
  provide(key: 'redisUrl', value: string): void;
}

let shared: Promise<ResolvedRedis> | undefined;
let users = 0;

/**
 * Vitest global setup: resolves Redis once per vitest process (REDIS_URL, else a local server),
 * provides it as `inject('redisUrl')`, and stops it in the returned teardown.
 */
export async function setup(project: ProvideTarget): Promise<() => Promise<void>> {
  users++;
  shared ??= resolveRedis();
  let resolved: ResolvedRedis;
  try {
    resolved = await shared;
  } catch (err) {
    users--;
    shared = undefined;
    throw err;
  }
  project.provide('redisUrl', resolved.url);
  let tornDown = false;
  return async () => {
    if (tornDown) return;
    tornDown = true;
    users--;
    if (users === 0 && shared) {
      shared = undefined;
      await resolved.stop();
    }
  };
}

export default setup;
