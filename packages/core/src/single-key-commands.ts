import { lockAcquire, lockExtend, lockGet, lockInspect, lockRelease } from '@redis-locks/scripts';
import type { RedisAdapter } from './adapter/types.js';
import type { AttemptResult, ExtendResult } from './primitives.js';
import type { ReleaseResult } from './types.js';

/** The keys of one single-key lock: the lock and, when the layout has one, its fencing counter. */
export interface SingleKeyLockKeys {
  /** The key holding the owner token. */
  readonly lock: string;
  /** The fencing counter, in the same hash slot; omit for layouts without fencing. */
  readonly fence?: string;
}

/** What `lock_inspect` reports. */
export interface SingleKeyLockState {
  /** Remaining ttl in ms; -1 without expiry; -2 when the lock does not exist. */
  readonly pttl: number;
  /** The fencing counter's current value (0 without a counter). */
  readonly fencingToken: number;
  /** Whether the lock holds the value that was passed (false when none was passed). */
  readonly matches: boolean;
}

/** Announces a release on pub/sub, from inside the release script. */
export interface ReleaseNotification {
  readonly channel: string;
  readonly message: string;
  /** SPUBLISH (Cluster) instead of PUBLISH. */
  readonly sharded?: boolean;
}

/** Reads an integer from a script reply of either client (number or numeric string). */
export function toInteger(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`Unexpected reply from Redis: ${String(value)}`);
  return n;
}

/**
 * Typed calls of the shared single-key lock scripts — `SET NX PX` acquire with a fencing counter and
 * compare-and-act extend/release/inspect — one atomic round trip each. Used by every strategy and
 * drop-in whose lock is one string key.
 */
export class SingleKeyLockCommands {
  constructor(private readonly adapter: RedisAdapter) {}

  /**
   * Takes the lock for `token` if free (bumping the fencing counter), else reports the holder's pttl.
   * `idempotent` (for random tokens, the default): if the key already holds `token`, an earlier send of
   * this very acquire landed and only its reply was lost (clients resend on reconnect), so it counts as
   * acquired. Pass false when callers choose tokens and may reuse one on purpose.
   */
  async acquire(
    keys: SingleKeyLockKeys,
    token: string,
    ttl: number,
    idempotent = true,
  ): Promise<AttemptResult> {
    const lockKeys = keys.fence === undefined ? [keys.lock] : [keys.lock, keys.fence];
    const args = idempotent ? [token, ttl, '1'] : [token, ttl];
    const [granted, value] = (await this.adapter.evalScript(lockAcquire, lockKeys, args)) as unknown[];
    if (toInteger(granted) === 1) return { acquired: true, fencingToken: toInteger(value) };
    const pttl = toInteger(value);
    return pttl > 0 ? { acquired: false, retryAfter: pttl } : { acquired: false };
  }

  /** Sets the ttl to `ttl` ms from now, only while the lock holds `token`. */
  async extend(lockKey: string, token: string, ttl: number): Promise<ExtendResult> {
    const reply = toInteger(await this.adapter.evalScript(lockExtend, [lockKey], [token, ttl]));
    if (reply === 1) return { extended: true };
    return { extended: false, reason: reply === 0 ? 'expired' : 'not-owner' };
  }

  /** Deletes the lock only while it holds `token`; publishes `notify` when it did. */
  async release(lockKey: string, token: string, notify?: ReleaseNotification): Promise<ReleaseResult> {
    const args = notify
      ? [token, notify.channel, notify.message, notify.sharded ? 'spublish' : 'publish']
      : [token];
    const reply = toInteger(await this.adapter.evalScript(lockRelease, [lockKey], args));
    return reply === 1 ? 'released' : reply === 0 ? 'expired' : 'not-owner';
  }

  /** Reads ttl and fencing counter; with `value`, also whether the lock holds it (never the value itself). */
  async inspect(keys: SingleKeyLockKeys, value = ''): Promise<SingleKeyLockState> {
    const lockKeys = keys.fence === undefined ? [keys.lock] : [keys.lock, keys.fence];
    const reply = await this.adapter.evalScript(lockInspect, lockKeys, [value]);
    if (!Array.isArray(reply) || reply.length < 3) {
      throw new TypeError(`Unexpected reply from Redis to lock_inspect: ${String(reply)}`);
    }
    return {
      pttl: toInteger(reply[0]),
      fencingToken: toInteger(reply[1]),
      matches: toInteger(reply[2]) === 1,
    };
  }

  /** The stored owner value, or null when free. Only for drop-ins whose original API returns it. */
  async get(lockKey: string): Promise<string | null> {
    const stored = await this.adapter.evalScript(lockGet, [lockKey], []);
    return stored === null || stored === undefined ? null : String(stored);
  }
}
