import {
  type AttemptResult,
  DEFAULT_STRATEGY_DEFAULTS,
  type ExtendResult,
  isRedisAdapter,
  type LockInfo,
  LockStrategyBase,
  lockKeyPrefix,
  type RedisAdapter,
  type RedisClientLike,
  type ReleaseResult,
  type RetryPolicy,
  SingleKeyLockCommands,
  toAdapter,
  validateDuration,
  validateNamespace,
  validateObject,
  validateRetry,
} from '@redis-locks/core';

/** Options of {@link createOptimisticLock}. */
export interface OptimisticLockOptions {
  /** An ioredis Redis/Cluster client, a node-redis v4+ client/cluster, or a RedisAdapter. Never quit by us. */
  readonly client: RedisClientLike;
  /** Key prefix. Default `'redis-locks:optimistic'`. */
  readonly namespace?: string;
  /** Default retry spacing of acquire. Default `{ delay: 100, jitter: 50, backoff: 'fixed' }`. */
  readonly retry?: RetryPolicy;
  /** Default `waitTimeout` of acquire in ms. Default 10,000. */
  readonly waitTimeout?: number;
}

/** Default key prefix of optimistic locks. */
export const DEFAULT_OPTIMISTIC_NAMESPACE = 'redis-locks:optimistic';

/** `SET NX PX` locks with compare-and-delete release, fencing tokens, and polling retries with jitter. */
export class OptimisticLock extends LockStrategyBase {
  readonly name = 'optimistic';
  readonly capabilities = {
    fencing: true,
    wakeup: 'poll',
    multiNode: false,
    replicationCheck: false,
    fair: false,
  } as const;
  /** Key prefix in use. */
  readonly namespace: string;
  private readonly adapter: RedisAdapter;
  private readonly ownsAdapter: boolean;
  private readonly commands: SingleKeyLockCommands;

  constructor(options: OptimisticLockOptions) {
    const opts = validateObject(options, 'options');
    const retry =
      opts.retry === undefined ? DEFAULT_STRATEGY_DEFAULTS.retry : validateRetry(opts.retry, 'options.retry');
    const waitTimeout =
      opts.waitTimeout === undefined
        ? DEFAULT_STRATEGY_DEFAULTS.waitTimeout
        : validateDuration(opts.waitTimeout, 'options.waitTimeout');
    super({ ...DEFAULT_STRATEGY_DEFAULTS, retry, waitTimeout });
    this.namespace =
      opts.namespace === undefined
        ? DEFAULT_OPTIMISTIC_NAMESPACE
        : validateNamespace(opts.namespace, 'options.namespace');
    this.adapter = toAdapter(opts.client, 'options.client');
    this.ownsAdapter = !isRedisAdapter(opts.client);
    this.commands = new SingleKeyLockCommands(this.adapter);
  }

  /** The lock key and fencing counter of a resource: `${namespace}:{resource}` and `…:fence`. */
  keysOf(resource: string): { lock: string; fence: string } {
    const lock = lockKeyPrefix(this.namespace, resource);
    return { lock, fence: `${lock}:fence` };
  }

  protected _attempt(resource: string, token: string, ttl: number): Promise<AttemptResult> {
    return this.commands.acquire(this.keysOf(resource), token, ttl);
  }

  protected _extend(resource: string, token: string, ttl: number): Promise<ExtendResult> {
    return this.commands.extend(this.keysOf(resource).lock, token, ttl);
  }

  protected _release(resource: string, token: string): Promise<ReleaseResult> {
    return this.commands.release(this.keysOf(resource).lock, token);
  }

  protected async _inspect(resource: string): Promise<LockInfo | null> {
    const state = await this.commands.inspect(this.keysOf(resource));
    return state.pttl === -2 ? null : { resource, ttl: state.pttl, fencingToken: state.fencingToken };
  }

  protected async _close(): Promise<void> {
    if (this.ownsAdapter) await this.adapter.close();
  }
}

/** Creates an optimistic lock strategy: cheapest per attempt, waiters poll with jitter. */
export function createOptimisticLock(options: OptimisticLockOptions): OptimisticLock {
  return new OptimisticLock(options);
}
