import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ContendedSubject, HeldLock } from './contended-subject.js';

/** Compare-and-delete plus one LPUSH to the resource's signal list, in one round trip. */
const RELEASE_AND_SIGNAL = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[1])
  redis.call('del', KEYS[2])
  redis.call('lpush', KEYS[2], '1')
  redis.call('pexpire', KEYS[2], ARGV[2])
  return 1
end
return 0`;

/** BLPOP timeout: the fallback that bounds a missed signal (e.g. a holder that crashed), in seconds. */
const FALLBACK_SECONDS = 1;

/**
 * A reference (not the floor): `SET key token NX PX ttl`; a waiter that lost blocks in `BLPOP signal 1` on a connection of
 * its own; release is one script that compare-and-deletes and LPUSHes one signal, which Redis hands to the
 * longest-blocked waiter. A signal pushed while nobody blocks stays (at most one) and is consumed by the next
 * waiter, so no wake-up is lost between a failed SET and the BLPOP.
 */
export const blpopSignalReference: ContendedSubject = {
  name: 'reference: SET NX PX + BLPOP signal',
  kind: 'reference',
  wakeup: 'blpop',
  notes: 'SET NX PX; waiter BLPOPs a signal list (1 s timeout); release = one script: DEL + LPUSH signal',
  async open({ urls, ttlMs }) {
    const url = urls[0]!;
    const client = new Redis(url);
    const sha = (await client.script('LOAD', RELEASE_AND_SIGNAL)) as string;
    const idle: Redis[] = [];
    const all: Redis[] = [];
    const notifications: bigint[] = [];
    const keysOf = (resource: string) => [`floor:{${resource}}`, `floor:{${resource}}:signal`] as const;
    const attempt = async (resource: string): Promise<HeldLock | null> => {
      const [key, signal] = keysOf(resource);
      const owner = randomBytes(16).toString('hex');
      if ((await client.set(key, owner, 'PX', ttlMs, 'NX')) !== 'OK') return null;
      return {
        release: async () => Number(await client.evalsha(sha, 2, key, signal, owner, ttlMs)) === 1,
      };
    };
    return {
      notifications,
      tryAcquire: attempt,
      async acquire(resource, waitTimeoutMs) {
        const deadline = performance.now() + waitTimeoutMs;
        const first = await attempt(resource);
        if (first) return first;
        // A blocking connection per concurrent waiter, reused across waits.
        const blocking = idle.pop() ?? new Redis(url);
        if (!all.includes(blocking)) all.push(blocking);
        try {
          while (performance.now() < deadline) {
            const popped = await blocking.blpop(keysOf(resource)[1], FALLBACK_SECONDS);
            if (popped) notifications.push(process.hrtime.bigint());
            const lock = await attempt(resource);
            if (lock) return lock;
          }
        } finally {
          idle.push(blocking);
        }
        throw new Error(`floor: ${resource} not acquired within ${waitTimeoutMs} ms`);
      },
      async close() {
        client.disconnect();
        for (const connection of all) connection.disconnect();
      },
    };
  },
};
