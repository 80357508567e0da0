import { isRedisAdapter, type RedisClientLike, toAdapter } from './adapter/index.js';
import type { RedisAdapter } from './adapter/types.js';
import { lockKeyPrefix } from './keys.js';
import type { AttemptContext, AttemptResult, ExtendResult } from './primitives.js';
import { SingleKeyLockCommands, type SingleKeyLockKeys } from './single-key-commands.js';
import { DEFAULT_STRATEGY_DEFAULTS, LockStrategyBase, type StrategyDefaults } from './strategy-base.js';
import type { LockInfo, ReleaseResult, RetryPolicy } from './types.js';
import { validateDuration, validateNamespace, validateObject, validateRetry } from './validation.js';

/** Options every strategy over one Redis client accepts. */
export interface ClientStrategyOptions {
  /** An ioredis Redis/Cluster client, a node-redis v4+ client/cluster, or a RedisAdapter. Never quit by us. */
  readonly client: RedisClientLike;
  /** Key prefix (no braces). Default per strategy. */
  readonly namespace?: string;
  /** Default retry spacing of acquire. Default `{ delay: 100, jitter: 50, backoff: 'fixed' }`. */
  readonly retry?: RetryPolicy;
  /** Default `waitTimeout` of acquire in ms. Default per strategy. */
  readonly waitTimeout?: number;
}

/** Defaults a single-client strategy chooses. */
export interface ClientStrategyDefaults {
  readonly namespace: string;
  readonly waitTimeout: number;
}

/** The wait defaults a strategy's options choose (`retry`, `waitTimeout`), validated and naming `options.*`. */
export function strategyDefaultsFrom(
  opts: Readonly<Record<string, unknown>>,
  waitTimeout: number,
): StrategyDefaults {
  return {
    ...DEFAULT_STRATEGY_DEFAULTS,
    retry:
      opts.retry === undefined ? DEFAULT_STRATEGY_DEFAULTS.retry : validateRetry(opts.retry, 'options.retry'),
    waitTimeout:
      opts.waitTimeout === undefined
        ? waitTimeout
        : validateDuration(opts.waitTimeout, 'options.waitTimeout'),
  };
}

/**
 * Primitives shared by every strategy whose lock is one string key under `${namespace}:{resource}` with a
 * fencing counter beside it: `SET NX PX` acquire and compare-and-act extend/release through the shared
 * scripts. A strategy extends it with its name, capabilities and defaults, and overrides what differs.
 */
export abstract class SingleKeyLockStrategy extends LockStrategyBase {
  /** Key prefix in use. */
  readonly namespace: string;
  /** The adapter all Redis I/O goes through. */
  protected readonly adapter: RedisAdapter;
  /** Typed calls of the shared single-key scripts. */
  protected readonly commands: SingleKeyLockCommands;
  /** True when the adapter was created here from a client, so close() ends what it opened. */
  private readonly ownsAdapter: boolean;

  protected constructor(options: ClientStrategyOptions, defaults: ClientStrategyDefaults) {
    const opts = validateObject(options, 'options');
    super(strategyDefaultsFrom(opts, defaults.waitTimeout));
    this.namespace =
      opts.namespace === undefined
        ? defaults.namespace
        : validateNamespace(opts.namespace, 'options.namespace');
    this.adapter = toAdapter(opts.client, 'options.client');
    this.ownsAdapter = !isRedisAdapter(opts.client);
    this.commands = new SingleKeyLockCommands(this.adapter);
  }

  /** The lock key and fencing counter of a resource: `${namespace}:{resource}` and `…:fence`. */
  keysOf(resource: string): Required<SingleKeyLockKeys> {
    const lock = lockKeyPrefix(this.namespace, resource);
    return { lock, fence: `${lock}:fence` };
  }

  protected _attempt(
    resource: string,
    token: string,
    ttl: number,
    _context?: AttemptContext,
  ): Promise<AttemptResult> {
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
