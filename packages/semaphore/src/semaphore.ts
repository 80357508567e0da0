import {
  type AttemptContext,
  type AttemptResult,
  createToken,
  DEFAULT_STRATEGY_DEFAULTS,
  type ExtendResult,
  isRedisAdapter,
  LingeringSubscriptions,
  type LockInfo,
  LockReplicationError,
  LockStrategyBase,
  lockKeyPrefix,
  type RedisAdapter,
  type RedisClientLike,
  type ReleaseResult,
  ReleaseWaiters,
  type RetryPolicy,
  type SharedSubscription,
  strategyDefaultsFrom,
  toAdapter,
  toInteger,
  type Unsubscribe,
  type Unwatch,
  validateDuration,
  validateNamespace,
  validateObject,
  type WatchGrant,
} from '@redis-locks/core';
import { lockInspect, semaphoreAcquire, semaphoreExtend, semaphoreRelease } from '@redis-locks/scripts';
import { parseAnnouncement } from './reply.js';

/** Replica acknowledgement required before a lock is reported (`WAIT minReplicas timeout`). */
export interface ReplicationOptions {
  /** Replicas that must acknowledge the acquiring write; 0 turns the check off. */
  readonly minReplicas: number;
  /** Longest time WAIT may block, in ms (a positive integer). */
  readonly timeout: number;
}

/** Options of {@link createSemaphore}. */
export interface SemaphoreOptions {
  /** An ioredis Redis/Cluster client, a node-redis v4+ client/cluster, or a RedisAdapter. Never quit by us. */
  readonly client: RedisClientLike;
  /** Key prefix. Default `'redis-locks:semaphore'`. */
  readonly namespace?: string;
  /**
   * FIFO waiting with direct hand-off: release passes the lock to the first live waiter and notifies
   * only that waiter. Default false: the fastest waiter wins.
   */
  readonly fair?: boolean;
  /** Report a lock only once WAIT confirms `minReplicas` replicas have it; otherwise roll back and reject. */
  readonly replication?: ReplicationOptions;
  /** Default `waitTimeout` of acquire in ms. Default 10,000. */
  readonly waitTimeout?: number;
  /** Longest time a waiter sleeps between checks when no notification arrives, in ms. Default 1,000. */
  readonly fallbackInterval?: number;
  /**
   * Fair mode: how long a queue entry stays valid without another attempt from its waiter, in ms. A live
   * waiter re-attempts at least every `fallbackInterval`, so this bounds how long a crashed waiter holds
   * its place. Default 3 × `fallbackInterval`.
   */
  readonly queueEntryTtl?: number;
  /** Default retry policy of acquire; waiters sleep until notified or `fallbackInterval`, so only `maxAttempts` applies. */
  readonly retry?: RetryPolicy;
}

/** Default key prefix of semaphore locks. */
export const DEFAULT_SEMAPHORE_NAMESPACE = 'redis-locks:semaphore';

/** The Redis keys and channel of one resource. */
export interface SemaphoreKeys {
  /** The lock hash (`token`, `index`): `${namespace}:{resource}`. */
  readonly lock: string;
  /** The fencing counter, never deleted: `${lock}:fence`. */
  readonly fence: string;
  /** Fair mode: the FIFO list of waiter tokens, `${lock}:queue`. */
  readonly queue: string;
  /** Fair mode: waiter token → `expiresAtMs:ttl:grantChannel`, `${lock}:waiters`. */
  readonly waiters: string;
  /** Where releases are announced (per resource and sharded in Cluster). */
  readonly channel: string;
  /**
   * Fair mode: where hand-offs to this instance's waiters are announced. Standalone: one channel per
   * instance, so a hand-off reaches only the process that waits for it. Cluster: the resource's channel.
   */
  readonly grantChannel: string;
}

type WatchCallback = (grant?: WatchGrant) => void;

/** A release channel's subscription, shared by this instance's waiters on it. */
interface ChannelWatch extends SharedSubscription {
  /** This instance's waiters on the channel, per resource. */
  readonly waiters: ReleaseWaiters;
  readonly subscription: Promise<Unsubscribe>;
  /** The server confirmed the subscription. */
  subscribed: boolean;
  /** The server refused it: the next waiter subscribes afresh. */
  failed: boolean;
}

/**
 * Binary semaphore on one Redis primary: a lock hash with owner token and fencing index, released by a
 * compare-and-delete script that announces the release on pub/sub (or hands the lock to the first
 * waiter in fair mode), with an optional WAIT-based replication check.
 */
export class Semaphore extends LockStrategyBase {
  readonly name = 'semaphore';
  readonly capabilities: {
    readonly fencing: true;
    readonly wakeup: 'pubsub';
    readonly multiNode: false;
    readonly replicationCheck: true;
    readonly fair: boolean;
  };
  /** Key prefix in use. */
  readonly namespace: string;
  /** Whether this instance queues waiters and hands the lock over in FIFO order. */
  readonly fair: boolean;
  /** The replication check in force, if any. */
  readonly replication: ReplicationOptions | undefined;
  /** Fair mode: lifetime of a queue entry without a new attempt, in ms. */
  readonly queueEntryTtl: number;
  private readonly adapter: RedisAdapter;
  private readonly ownsAdapter: boolean;
  /** Release channels stay subscribed for `fallbackInterval` after their last waiter left. */
  private readonly watches = new LingeringSubscriptions<ChannelWatch>(this.defaults.fallbackInterval);
  /** Standalone: this instance's grant channel, `${namespace}:granted:<random id>`, made once. */
  private readonly instanceGrantChannel: string;

  constructor(options: SemaphoreOptions) {
    const opts = validateObject(options, 'options');
    const fallbackInterval =
      opts.fallbackInterval === undefined
        ? DEFAULT_STRATEGY_DEFAULTS.fallbackInterval
        : positiveInteger(opts.fallbackInterval, 'options.fallbackInterval');
    super({
      ...strategyDefaultsFrom(opts, DEFAULT_STRATEGY_DEFAULTS.waitTimeout),
      fallbackInterval,
    });
    if (opts.fair !== undefined && typeof opts.fair !== 'boolean') {
      throw Object.assign(new TypeError(`options.fair must be a boolean; received ${typeof opts.fair}.`), {
        code: 'ERR_INVALID_ARG_TYPE',
      });
    }
    this.fair = opts.fair === true;
    this.queueEntryTtl =
      opts.queueEntryTtl === undefined
        ? 3 * fallbackInterval
        : positiveInteger(opts.queueEntryTtl, 'options.queueEntryTtl');
    if (this.queueEntryTtl <= fallbackInterval) {
      throw new RangeError(
        `options.queueEntryTtl (${this.queueEntryTtl}) must exceed options.fallbackInterval (${fallbackInterval}), ` +
          'or live waiters would lose their place between two checks.',
      );
    }
    this.replication = validateReplication(opts.replication);
    this.namespace =
      opts.namespace === undefined
        ? DEFAULT_SEMAPHORE_NAMESPACE
        : validateNamespace(opts.namespace, 'options.namespace');
    this.adapter = toAdapter(opts.client, 'options.client');
    this.instanceGrantChannel = `${this.namespace}:granted:${createToken()}`;
    this.ownsAdapter = !isRedisAdapter(opts.client);
    if (this.replication && typeof this.adapter.evalScriptAndWait !== 'function') {
      throw new TypeError(
        'options.replication needs an adapter with evalScriptAndWait (the built-in ioredis and node-redis adapters have it).',
      );
    }
    this.capabilities = {
      fencing: true,
      wakeup: 'pubsub',
      multiNode: false,
      replicationCheck: true,
      fair: this.fair,
    };
  }

  /** The keys and channel of a resource; every key shares the resource's hash tag. */
  keysOf(resource: string): SemaphoreKeys {
    const lock = lockKeyPrefix(this.namespace, resource);
    // Cluster: one sharded channel per resource, in the keys' slot so the script may SPUBLISH to it.
    // Standalone: one channel for the namespace (messages carry the resource), one subscription for all.
    const channel = this.adapter.isCluster ? `${lock}:released` : `${this.namespace}:released`;
    return {
      lock,
      fence: `${lock}:fence`,
      queue: `${lock}:queue`,
      waiters: `${lock}:waiters`,
      channel,
      grantChannel: this.adapter.isCluster ? channel : this.instanceGrantChannel,
    };
  }

  protected async _attempt(
    resource: string,
    token: string,
    ttl: number,
    context: AttemptContext,
  ): Promise<AttemptResult> {
    const k = this.keysOf(resource);
    const keys = this.fair ? [k.lock, k.fence, k.queue, k.waiters] : [k.lock, k.fence];
    const queued = this.fair && context.willWait;
    const args = [
      token,
      ttl,
      queued ? this.queueEntryTtl : 0,
      k.channel,
      this.publishCommand,
      resource,
      queued ? k.grantChannel : '',
    ];
    const replication = this.replication;
    let reply: unknown[];
    if (replication) {
      const result = await this.adapter.evalScriptAndWait!(semaphoreAcquire, keys, args, {
        replicas: replication.minReplicas,
        timeout: replication.timeout,
        shouldWait: (r) => toInteger((r as unknown[])[0]) === 1,
      });
      reply = result.reply as unknown[];
      if (toInteger(reply[0]) === 1) {
        const acknowledged = result.acknowledged ?? 0;
        if (acknowledged < replication.minReplicas) {
          // Compare-and-delete: only this token's write is rolled back.
          await this.releaseScript(resource, token);
          throw new LockReplicationError(resource, acknowledged, replication.minReplicas);
        }
        // WAIT took time: the lock's ttl starts again now (validity still counts from the attempt's start).
        const extended = toInteger(await this.adapter.evalScript(semaphoreExtend, [k.lock], [token, ttl]));
        if (extended !== 1) return { acquired: false };
        return { acquired: true, fencingToken: toInteger(reply[1]) };
      }
    } else {
      reply = (await this.adapter.evalScript(semaphoreAcquire, keys, args)) as unknown[];
    }
    if (toInteger(reply[0]) === 1) {
      return {
        acquired: true,
        fencingToken: toInteger(reply[1]),
        validity: Math.min(ttl, toInteger(reply[2])),
      };
    }
    const pttl = toInteger(reply[1]);
    return pttl > 0 ? { acquired: false, retryAfter: pttl } : { acquired: false };
  }

  protected async _extend(resource: string, token: string, ttl: number): Promise<ExtendResult> {
    const reply = toInteger(
      await this.adapter.evalScript(semaphoreExtend, [this.keysOf(resource).lock], [token, ttl]),
    );
    if (reply === 1) return { extended: true };
    return { extended: false, reason: reply === 0 ? 'expired' : 'not-owner' };
  }

  protected async _release(resource: string, token: string): Promise<ReleaseResult> {
    const reply = await this.releaseScript(resource, token);
    return reply === 1 ? 'released' : reply === 0 ? 'expired' : 'not-owner';
  }

  protected override async _abandon(resource: string, token: string): Promise<void> {
    // Fair mode: leave the queue at once (and pass the lock on if it was handed over meanwhile).
    if (this.fair) await this.releaseScript(resource, token);
  }

  protected async _inspect(resource: string): Promise<LockInfo | null> {
    const { lock, fence } = this.keysOf(resource);
    const [pttl, fencingToken] = (await this.adapter.evalScript(
      lockInspect,
      [lock, fence],
      [''],
    )) as unknown[];
    const ttl = toInteger(pttl);
    if (ttl === -2) return null;
    return { resource, ttl, fencingToken: toInteger(fencingToken) };
  }

  protected override _isWatched(resource: string): boolean {
    return this.channelsOf(resource).every((channel) => this.watches.get(channel)?.subscribed === true);
  }

  /** Fair waiters hear hand-offs on the grant channel and plain releases (e.g. by a non-fair instance) on the other. */
  private channelsOf(resource: string): string[] {
    const { channel, grantChannel } = this.keysOf(resource);
    return this.fair && grantChannel !== channel ? [channel, grantChannel] : [channel];
  }

  protected override async _watch(resource: string, onRelease: WatchCallback): Promise<Unwatch> {
    const watching = this.channelsOf(resource).map((channel) =>
      this.watchChannel(channel, resource, onRelease),
    );
    const unwatchAll = async () => {
      await Promise.all(watching.map(async (w) => (await w.catch(() => undefined))?.()));
    };
    try {
      await Promise.all(watching);
    } catch (error) {
      await unwatchAll();
      throw error;
    }
    return unwatchAll;
  }

  private async watchChannel(channel: string, resource: string, callback: WatchCallback): Promise<Unwatch> {
    const { subscription: watch, leave } = this.watches.join(channel, () => this.subscribeChannel(channel));
    const remove = watch.waiters.add(resource, callback);
    const unwatch = async () => {
      if (remove()) leave();
    };
    try {
      await watch.subscription;
    } catch (error) {
      await unwatch();
      throw error;
    }
    return unwatch;
  }

  private subscribeChannel(channel: string): ChannelWatch {
    const watch: ChannelWatch = {
      waiters: new ReleaseWaiters(),
      subscription: this.adapter.subscribe(channel, (message) => this.dispatch(watch, message), {
        sharded: this.adapter.isCluster,
      }),
      subscribed: false,
      failed: false,
      end: () =>
        watch.subscription.then(
          (unsubscribe) => unsubscribe().catch(() => undefined),
          () => undefined,
        ),
    };
    watch.subscription.then(
      () => {
        watch.subscribed = true;
      },
      () => {
        watch.failed = true;
      },
    );
    return watch;
  }

  protected async _close(): Promise<void> {
    // Our adapter closes alongside: that settles unsubscribes still waiting for a server that is down.
    await Promise.all([this.watches.close(), this.ownsAdapter && this.adapter.close()]);
  }

  private get publishCommand(): 'publish' | 'spublish' {
    return this.adapter.isCluster ? 'spublish' : 'publish';
  }

  private async releaseScript(resource: string, token: string): Promise<number> {
    const k = this.keysOf(resource);
    const keys = this.fair ? [k.lock, k.fence, k.queue, k.waiters] : [k.lock, k.fence];
    return toInteger(
      await this.adapter.evalScript(semaphoreRelease, keys, [
        token,
        k.channel,
        this.publishCommand,
        resource,
      ]),
    );
  }

  /**
   * Wakes only waiters of the announced resource. A hand-off carries the grant (unless WAIT must confirm
   * it). Without fair mode, a release wakes this instance's longest-waiting waiter only (see ReleaseWaiters);
   * in fair mode a plain release wakes every queued waiter to re-check, since the queue decides who wins.
   */
  private dispatch(watch: ChannelWatch, message: string): void {
    const announcement = parseAnnouncement(message);
    if (!announcement) return;
    if (announcement.token === '' && !this.fair) {
      watch.waiters.wakeOldest(announcement.resource);
      return;
    }
    // A hand-off wakes only its new owner; with a replication check the owner re-attempts so WAIT confirms it.
    const grant: WatchGrant | undefined =
      announcement.token === ''
        ? undefined
        : this.replication
          ? { token: announcement.token, verify: true }
          : { token: announcement.token, fencingToken: announcement.fence, validity: announcement.ttl };
    watch.waiters.wakeAll(announcement.resource, grant);
  }
}

function positiveInteger(value: unknown, name: string): number {
  const n = validateDuration(value, name);
  if (n < 1 || !Number.isFinite(n))
    throw new RangeError(`${name} must be a positive integer of ms; received ${n}.`);
  return n;
}

function validateReplication(value: unknown): ReplicationOptions | undefined {
  if (value === undefined) return undefined;
  const opts = validateObject(value, 'options.replication');
  const minReplicas = opts.minReplicas;
  if (typeof minReplicas !== 'number' || !Number.isSafeInteger(minReplicas) || minReplicas < 0) {
    throw new RangeError(
      `options.replication.minReplicas must be a non-negative integer; received ${String(minReplicas)}.`,
    );
  }
  const timeout = positiveInteger(opts.timeout, 'options.replication.timeout');
  return minReplicas === 0 ? undefined : { minReplicas, timeout };
}

/** Creates a semaphore strategy: pub/sub wake-ups, optional FIFO hand-off (`fair`) and WAIT replication check. */
export function createSemaphore(options: SemaphoreOptions): Semaphore {
  return new Semaphore(options);
}
