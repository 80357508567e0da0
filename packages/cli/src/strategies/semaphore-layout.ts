import { toAdapter } from '@redis-locks/core';
import { semaphoreRelease } from '@redis-locks/scripts';
import { createSemaphore } from '@redis-locks/semaphore';
import type { Redis } from 'ioredis';
import { createHashTagLayout, releaseOutcome } from './hash-tag-layout.js';
import type { KeyLayout, LockLocation } from './strategy-entry.js';

const keyNames = createHashTagLayout();

/** The semaphore's own key names for `location` (lock hash, fence, fair-mode queue and waiters, channel). */
function semaphoreKeys(client: Redis, { namespace, resource }: LockLocation) {
  // Building an instance opens nothing (its subscriber is created on the first wait); keysOf is its own
  // naming, so the CLI never re-derives the queue, waiters and channel names.
  const semaphore = createSemaphore({ client, namespace });
  try {
    return semaphore.keysOf(resource);
  } finally {
    void semaphore.close().catch(() => undefined);
  }
}

/**
 * The semaphore's layout: `${namespace}:{resource}` is a hash (`token`, `index`) next to `…:fence` and, in fair
 * mode, `…:queue` and `…:waiters`. Scanning and key names are those of {@link createHashTagLayout}; reading
 * the owner is `HGET … token`, and the forced release runs the semaphore's own `semaphore_release` script
 * with the fair-mode keys, so it announces the release (or hands the lock to the first live queued waiter)
 * exactly like a release by the holder.
 */
export const semaphoreLayout: KeyLayout = {
  scanPattern: keyNames.scanPattern,
  resourceOf: keyNames.resourceOf,
  lockKey: keyNames.lockKey,
  async readOwner(client, key) {
    try {
      return await client.hget(key, 'token');
    } catch {
      return null; // not a hash: not a semaphore lock
    }
  },
  async releaseOwner(client, location, owner) {
    const k = semaphoreKeys(client, location);
    const reply = await toAdapter(client).evalScript(
      semaphoreRelease,
      [k.lock, k.fence, k.queue, k.waiters],
      [owner, k.channel, 'publish', location.resource],
    );
    return releaseOutcome(reply);
  },
  async countWaiters(client, location) {
    // Fair mode keeps its live waiters in `…:waiters`; a non-fair semaphore keeps none (0 listed).
    try {
      return await client.hlen(semaphoreKeys(client, location).waiters);
    } catch {
      return null;
    }
  },
};
