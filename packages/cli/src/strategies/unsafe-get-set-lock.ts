import {
  type AttemptResult,
  DEFAULT_STRATEGY_DEFAULTS,
  type ExtendResult,
  type LockInfo,
  LockStrategyBase,
  lockKeyPrefix,
  type ReleaseResult,
} from '@redis-locks/core';
import type { Redis } from 'ioredis';

/**
 * A deliberately broken lock — GET, then SET without NX; GET, then DEL — that exists only so
 * `redis-locks compare --strategies unsafe-get-set` can show what a double grant looks like and prove
 * that the overlap checker catches it. Never use it to protect anything.
 */
export class UnsafeGetSetLock extends LockStrategyBase {
  readonly name = 'unsafe-get-set';
  readonly capabilities = {
    fencing: false,
    wakeup: 'poll',
    multiNode: false,
    replicationCheck: false,
    fair: false,
  } as const;

  constructor(
    private readonly client: Redis,
    private readonly namespace: string,
  ) {
    super(DEFAULT_STRATEGY_DEFAULTS);
  }

  private keyOf(resource: string): string {
    return lockKeyPrefix(this.namespace, resource);
  }

  protected async _attempt(resource: string, token: string, ttl: number): Promise<AttemptResult> {
    const key = this.keyOf(resource);
    // The race: another owner may SET between this GET and the SET below.
    if ((await this.client.get(key)) !== null) return { acquired: false };
    await this.client.set(key, token, 'PX', ttl);
    return { acquired: true };
  }

  protected async _extend(resource: string, token: string, ttl: number): Promise<ExtendResult> {
    const key = this.keyOf(resource);
    if ((await this.client.get(key)) !== token) return { extended: false, reason: 'not-owner' };
    await this.client.pexpire(key, ttl);
    return { extended: true };
  }

  protected async _release(resource: string, token: string): Promise<ReleaseResult> {
    const key = this.keyOf(resource);
    const owner = await this.client.get(key);
    if (owner === null) return 'expired';
    if (owner !== token) return 'not-owner';
    await this.client.del(key);
    return 'released';
  }

  protected async _inspect(resource: string): Promise<LockInfo | null> {
    const ttl = await this.client.pttl(this.keyOf(resource));
    return ttl === -2 ? null : { resource, ttl };
  }

  protected async _close(): Promise<void> {}
}
