import {
  type AttemptResult,
  DEFAULT_STRATEGY_DEFAULTS,
  type ExtendResult,
  type LockInfo,
  LockStrategyBase,
  type ReleaseResult,
} from '@redis-locks/core';
import type { Redis } from 'ioredis';

/**
 * The deliberate flaws a negative control can switch on. Each one is a bug a real lock library shipped
 * (see USERS.md "Bugs never to repeat"); a checker that does not flag it proves nothing.
 */
export interface NaiveFlaws {
  /** `GET` then `SET` instead of `SET NX`: two contenders both see the key free. */
  readonly getThenSetAcquire?: boolean;
  /** `GET`, compare in JavaScript, then `DEL`: deletes the next holder's lock when the first one expired in between. */
  readonly getThenDelRelease?: boolean;
  /** `SET key token PX ttl` without comparing: an extension "succeeds" after someone else acquired. */
  readonly blindExtend?: boolean;
  /** Report "not acquired" on a Redis error without releasing the token (which may have landed). */
  readonly swallowAcquireErrors?: boolean;
  /** Milliseconds between the check and the act of the two-step flaws (default 3). */
  readonly gapMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A single-key lock built on core's policy layer (waiting, retry, auto-extension, `using`) with plain
 * commands instead of scripts, so each flaw above can be switched on. Fencing is a counter `INCR`ed after
 * the acquire. Only for negative controls: with no flaw switched on it is merely a slower optimistic lock.
 */
export class NaiveLock extends LockStrategyBase {
  readonly name = 'naive';
  readonly capabilities = {
    fencing: true,
    wakeup: 'poll',
    multiNode: false,
    replicationCheck: false,
    fair: false,
  } as const;

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly flaws: NaiveFlaws,
  ) {
    super({ ...DEFAULT_STRATEGY_DEFAULTS, retry: { delay: 20, jitter: 10, backoff: 'fixed' } });
  }

  keysOf(resource: string): { lock: string; fence: string } {
    return { lock: `${this.namespace}:${resource}`, fence: `${this.namespace}:${resource}:fence` };
  }

  private get gap(): number {
    return this.flaws.gapMs ?? 3;
  }

  protected async _attempt(resource: string, token: string, ttl: number): Promise<AttemptResult> {
    const { lock, fence } = this.keysOf(resource);
    try {
      let ok: boolean;
      if (this.flaws.getThenSetAcquire) {
        const current = await this.redis.get(lock);
        if (current !== null) return { acquired: false };
        await pause(this.gap);
        ok = (await this.redis.set(lock, token, 'PX', ttl)) === 'OK';
      } else {
        ok = (await this.redis.set(lock, token, 'PX', ttl, 'NX')) === 'OK';
      }
      if (!ok) return { acquired: false };
      return { acquired: true, fencingToken: await this.redis.incr(fence) };
    } catch (error) {
      if (this.flaws.swallowAcquireErrors) return { acquired: false };
      throw error;
    }
  }

  protected async _extend(resource: string, token: string, ttl: number): Promise<ExtendResult> {
    const { lock } = this.keysOf(resource);
    if (this.flaws.blindExtend) {
      await this.redis.set(lock, token, 'PX', ttl);
      return { extended: true };
    }
    const current = await this.redis.get(lock);
    if (current === null) return { extended: false, reason: 'expired' };
    if (current !== token) return { extended: false, reason: 'not-owner' };
    await this.redis.pexpire(lock, ttl);
    return { extended: true };
  }

  protected async _release(resource: string, token: string): Promise<ReleaseResult> {
    const { lock } = this.keysOf(resource);
    if (this.flaws.getThenDelRelease) {
      const current = await this.redis.get(lock);
      if (current === null) return 'expired';
      if (current !== token) return 'not-owner';
      await pause(this.gap);
      await this.redis.del(lock);
      return 'released';
    }
    const n = await this.redis.eval(
      "local v = redis.call('GET', KEYS[1]) if not v then return 0 end if v ~= ARGV[1] then return -1 end redis.call('DEL', KEYS[1]) return 1",
      1,
      lock,
      token,
    );
    return n === 1 ? 'released' : n === 0 ? 'expired' : 'not-owner';
  }

  protected async _inspect(resource: string): Promise<LockInfo | null> {
    const { lock, fence } = this.keysOf(resource);
    const [pttl, counter] = await Promise.all([this.redis.pttl(lock), this.redis.get(fence)]);
    if (pttl === -2) return null;
    return { resource, ttl: pttl, fencingToken: Number(counter ?? 0) };
  }

  protected async _close(): Promise<void> {}
}
