import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ContendedSubject, HeldLock } from './contended-subject.js';

/** Take the lock, or join the FIFO queue, in one round trip. */
const ACQUIRE_OR_QUEUE = `
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if ARGV[3] == '1' then
  redis.call('rpush', KEYS[2], ARGV[1])
  redis.call('pexpire', KEYS[2], ARGV[2])
end
return 0`;

/** Compare-and-release that hands the lock straight to the first queued waiter and wakes only it. */
const RELEASE_OR_GRANT = `
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
local next = redis.call('lpop', KEYS[2])
if next then
  redis.call('set', KEYS[1], next, 'PX', ARGV[2])
  local grant = KEYS[1] .. ':grant:' .. next
  redis.call('lpush', grant, '1')
  redis.call('pexpire', grant, ARGV[2])
else
  redis.call('del', KEYS[1])
end
return 1`;

/** BLPOP timeout (s): bounds a lost grant; the waiter then checks whether it owns the lock. */
const FALLBACK_SECONDS = 1;

/**
 * The contended floor, fewest round trips: acquire = one script (`SET NX PX`, else `RPUSH` the owner token to a
 * FIFO queue); the waiter blocks in `BLPOP` on a grant list of its own; release = one script that compare-and-
 * releases and, when someone is queued, sets the lock to the first waiter's token and LPUSHes its grant list. The
 * waiter holds the lock the moment BLPOP returns: hand-off = the release round trip plus one push. A waiter whose
 * BLPOP times out checks `GET` (granted?) and waits again. Waiters never give up in these scenarios, so the queue
 * never holds a dead token.
 */
export const floorGrant: ContendedSubject = {
  name: 'floor: FIFO direct grant + BLPOP',
  kind: 'floor',
  wakeup: 'grant',
  notes:
    'script: SET NX PX or RPUSH queue; waiter BLPOPs its own grant list; release = one script: pop next, SET it ' +
    'as owner, LPUSH its grant',
  async open({ urls, ttlMs }) {
    const url = urls[0]!;
    const client = new Redis(url);
    const acquireSha = (await client.script('LOAD', ACQUIRE_OR_QUEUE)) as string;
    const releaseSha = (await client.script('LOAD', RELEASE_OR_GRANT)) as string;
    const idle: Redis[] = [];
    const all: Redis[] = [];
    const notifications: bigint[] = [];
    const keysOf = (resource: string) =>
      [`floor-grant:{${resource}}`, `floor-grant:{${resource}}:queue`] as const;
    const held = (resource: string, owner: string): HeldLock => ({
      release: async () =>
        Number(await client.evalsha(releaseSha, 2, ...keysOf(resource), owner, ttlMs)) === 1,
    });
    const attempt = async (resource: string, queue: boolean, owner: string) =>
      Number(await client.evalsha(acquireSha, 2, ...keysOf(resource), owner, ttlMs, queue ? '1' : '0')) === 1;
    return {
      notifications,
      async tryAcquire(resource) {
        const owner = randomBytes(16).toString('hex');
        return (await attempt(resource, false, owner)) ? held(resource, owner) : null;
      },
      async acquire(resource, waitTimeoutMs, signal) {
        const owner = randomBytes(16).toString('hex');
        if (await attempt(resource, true, owner)) return held(resource, owner);
        const deadline = performance.now() + waitTimeoutMs;
        // A blocking connection per concurrent waiter, reused across waits.
        const blocking = idle.pop() ?? new Redis(url);
        if (!all.includes(blocking)) all.push(blocking);
        // Cancelling drops the blocking connection (its token stays queued: the run's resource is not reused).
        let cancelled = false;
        const cancel = () => {
          cancelled = true;
          blocking.disconnect();
        };
        signal?.addEventListener('abort', cancel, { once: true });
        if (signal?.aborted) cancel();
        try {
          const grant = `${keysOf(resource)[0]}:grant:${owner}`;
          while (performance.now() < deadline && !cancelled) {
            if (await blocking.blpop(grant, FALLBACK_SECONDS).catch(() => null)) {
              notifications.push(process.hrtime.bigint());
              return held(resource, owner);
            }
            if ((await client.get(keysOf(resource)[0])) === owner) return held(resource, owner);
          }
        } finally {
          signal?.removeEventListener('abort', cancel);
          if (!cancelled) idle.push(blocking);
        }
        throw new Error(cancelled ? 'aborted' : `floor: ${resource} not granted within ${waitTimeoutMs} ms`);
      },
      async close() {
        client.disconnect();
        for (const connection of all) connection.disconnect();
      },
    };
  },
};
