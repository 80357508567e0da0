import {
  type AttemptContext,
  type AttemptResult,
  createToken,
  DEFAULT_STRATEGY_DEFAULTS,
  type ExtendResult,
  isRedisAdapter,
  LingeringSubscriptions,
  type LockInfo,
  LockQuorumError,
  LockStrategyBase,
  lockKeyPrefix,
  monotonicNow,
  type NodeVote,
  type RedisAdapter,
  type RedisClientLike,
  type ReleaseResult,
  ReleaseWaiters,
  type RetryPolicy,
  type SharedSubscription,
  SingleKeyLockCommands,
  type SingleKeyLockState,
  strategyDefaultsFrom,
  toAdapter,
  toInteger,
  type Unwatch,
  validateDuration,
  validateNamespace,
  validateObject,
} from '@redis-locks/core';
import { redlockFenceRaise } from '@redis-locks/scripts';
import { atLeast, majority, type Round, type RoundOptions, type RoundVote, runRound } from './quorum.js';

/** Options of {@link createRedlock}. */
export interface RedlockOptions {
  /**
   * One client per independent Redis node (ioredis Redis/Cluster, node-redis v4+ client/cluster, or a
   * RedisAdapter; kinds may be mixed). Never quit by the strategy.
   */
  readonly clients: readonly RedisClientLike[];
  /** Expected clock drift as a fraction of the ttl; drift = round(driftFactor × ttl) + 2 ms. Default 0.01. */
  readonly driftFactor?: number;
  /** Default retry spacing of acquire. Default `{ delay: 100, jitter: 50, backoff: 'fixed' }`. */
  readonly retry?: RetryPolicy;
  /** Votes needed; a strict majority at least (so two quorums always share a node). Default floor(N/2) + 1. */
  readonly quorum?: number;
  /** Key prefix. Default `'redis-locks:redlock'`. */
  readonly namespace?: string;
  /** Default `waitTimeout` of acquire in ms. Default 10,000. */
  readonly waitTimeout?: number;
  /** Longest wait for one node's answer, in ms; a slower node votes 'timeout'. Default 1000. */
  readonly requestTimeout?: number;
}

/** Default key prefix of Redlock locks. */
export const DEFAULT_REDLOCK_NAMESPACE = 'redis-locks:redlock';
/** Default per-node request timeout, in ms. */
export const DEFAULT_REQUEST_TIMEOUT = 1000;

type Vote = RoundVote<unknown>;

/** The drift Redlock subtracts from a lock's validity: round(driftFactor × ttl) + 2 ms (Redis expiry precision). */
export function redlockDrift(driftFactor: number, ttl: number): number {
  return Math.round(driftFactor * ttl) + 2;
}

/** How long a resource's subscriptions outlive its last waiter, in ms: contention comes in bursts. */
const REDLOCK_SUBSCRIPTION_LINGER = 1000;

/** The release subscriptions of one resource on every node, shared by this instance's waiters. */
interface ResourceWatch extends SharedSubscription {
  /** Resolves true once a quorum of nodes confirmed the subscription (false after requestTimeout). */
  readonly ready: Promise<boolean>;
  /** A quorum confirmed, and no node refused: a new waiter may listen before its first attempt. */
  subscribed: boolean;
  /** A node refused the subscription: the next waiter subscribes afresh instead of reusing this. */
  failed: boolean;
}

function plainVotes(votes: readonly Vote[]): NodeVote[] {
  return votes.map(({ node, vote, error }) => (error === undefined ? { node, vote } : { node, vote, error }));
}

function firstError(votes: readonly Vote[]): unknown {
  return votes.find((v) => v.error !== undefined)?.error;
}

/**
 * Redlock over N independent Redis nodes: a lock holds while a majority of nodes keep it, within
 * validity = ttl − elapsed − drift. Fencing tokens, per-node votes in errors, release notifications.
 */
export class Redlock extends LockStrategyBase {
  readonly name = 'redlock';
  readonly capabilities = {
    fencing: true,
    wakeup: 'poll',
    multiNode: true,
    replicationCheck: false,
    fair: false,
  } as const;
  /** Key prefix in use. */
  readonly namespace: string;
  /** Votes needed for every operation. */
  readonly quorum: number;
  /** Clock drift factor in use. */
  readonly driftFactor: number;
  /** Per-node request timeout in ms. */
  readonly requestTimeout: number;
  private readonly nodes: readonly RedisAdapter[];
  /** The shared single-key scripts, one per node. */
  private readonly commands: readonly SingleKeyLockCommands[];
  private readonly owned: readonly RedisAdapter[];
  /** Requests still on the wire, also those of operations that settled at a quorum; close() waits for them. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Names this instance's release announcements (with a counter), so waiters can tell repeats apart. */
  private readonly instanceId = createToken().slice(0, 12);
  private releases = 0;
  /** This instance's waiters; every node announces a release, which wakes one of them once. */
  private readonly waiters = new ReleaseWaiters();
  private readonly watches = new LingeringSubscriptions<ResourceWatch>(REDLOCK_SUBSCRIPTION_LINGER);

  constructor(options: RedlockOptions) {
    const opts = validateObject(options, 'options');
    super(strategyDefaultsFrom(opts, DEFAULT_STRATEGY_DEFAULTS.waitTimeout));

    if (!Array.isArray(opts.clients)) {
      throw Object.assign(
        new TypeError('options.clients must be an array with one client per independent Redis node.'),
        { code: 'ERR_INVALID_ARG_TYPE' },
      );
    }
    if (opts.clients.length === 0) {
      throw Object.assign(new RangeError('options.clients must hold at least one client.'), {
        code: 'ERR_OUT_OF_RANGE',
      });
    }
    const clients = opts.clients as readonly unknown[];
    if (new Set(clients).size !== clients.length) {
      throw Object.assign(
        new RangeError('options.clients must not repeat a client: each vote must come from another node.'),
        { code: 'ERR_OUT_OF_RANGE' },
      );
    }
    this.nodes = clients.map((client, i) => toAdapter(client, `options.clients[${i}]`));
    this.owned = this.nodes.filter((_, i) => !isRedisAdapter(clients[i]));
    this.commands = this.nodes.map((node) => new SingleKeyLockCommands(node));

    const n = this.nodes.length;
    if (opts.quorum === undefined) this.quorum = majority(n);
    else {
      const quorum = opts.quorum;
      if (typeof quorum !== 'number' || !Number.isSafeInteger(quorum) || quorum < majority(n) || quorum > n) {
        throw Object.assign(
          new RangeError(
            `options.quorum must be an integer from ${majority(n)} (a strict majority of ${n} nodes) to ${n}; ` +
              `received ${String(quorum)}.`,
          ),
          { code: 'ERR_OUT_OF_RANGE' },
        );
      }
      this.quorum = quorum;
    }

    const driftFactor = opts.driftFactor ?? 0.01;
    if (
      typeof driftFactor !== 'number' ||
      !Number.isFinite(driftFactor) ||
      driftFactor < 0 ||
      driftFactor >= 1
    ) {
      throw Object.assign(
        new RangeError(`options.driftFactor must be a number in [0, 1); received ${String(driftFactor)}.`),
        { code: 'ERR_OUT_OF_RANGE' },
      );
    }
    this.driftFactor = driftFactor;
    const requestTimeout =
      opts.requestTimeout === undefined
        ? DEFAULT_REQUEST_TIMEOUT
        : validateDuration(opts.requestTimeout, 'options.requestTimeout');
    if (requestTimeout < 1 || requestTimeout === Number.POSITIVE_INFINITY) {
      throw Object.assign(
        new RangeError(
          `options.requestTimeout must be a positive finite number of ms; received ${requestTimeout}.`,
        ),
        { code: 'ERR_OUT_OF_RANGE' },
      );
    }
    this.requestTimeout = requestTimeout;
    this.namespace =
      opts.namespace === undefined
        ? DEFAULT_REDLOCK_NAMESPACE
        : validateNamespace(opts.namespace, 'options.namespace');
  }

  /** Keys of a resource on every node: the lock, its fencing counter and its release channel. */
  keysOf(resource: string): { lock: string; fence: string; channel: string } {
    const lock = lockKeyPrefix(this.namespace, resource);
    return { lock, fence: `${lock}:fence`, channel: `${lock}:released` };
  }

  /** Number of nodes. */
  get size(): number {
    return this.nodes.length;
  }

  /** A ttl must outlast the drift, or no attempt could ever return a valid lock. */
  protected override _validateAcquireOptions(options: Readonly<Record<string, unknown>>): void {
    const ttl = options.ttl as number;
    const drift = redlockDrift(this.driftFactor, ttl);
    if (ttl <= drift) {
      throw Object.assign(
        new RangeError(
          `options.ttl must be longer than the clock drift allowance (${drift} ms = round(driftFactor × ttl) + 2); ` +
            `received ${ttl}.`,
        ),
        { code: 'ERR_OUT_OF_RANGE' },
      );
    }
  }

  protected async _attempt(
    resource: string,
    token: string,
    ttl: number,
    context: AttemptContext,
  ): Promise<AttemptResult> {
    const started = monotonicNow();
    const drift = redlockDrift(this.driftFactor, ttl);
    const { lock, fence } = this.keysOf(resource);
    const q = this.quorum;
    const round = await this.quorumRound<AttemptResult>({
      size: this.nodes.length,
      request: (i) => this.commands[i]!.acquire({ lock, fence }, token, ttl),
      classify: (reply) => (reply.acquired ? 'for' : 'against'),
      timeout: Math.max(1, Math.min(this.requestTimeout, ttl - drift)),
      done: (t) => t.for >= q || t.for + t.pending < q,
    });

    let problem: string | undefined;
    if (round.tally.for >= q) {
      const fencingToken = Math.max(
        ...round.votes
          .filter((v) => v.vote === 'for')
          .map((v) => (v.reply as AttemptResult & { acquired: true }).fencingToken ?? 0),
      );
      const raised = await this.raiseFence(fence, fencingToken, round);
      // Validity is counted from the start of this attempt, after every round trip it needed.
      const remaining = ttl - (monotonicNow() - started) - drift;
      if (raised && remaining > 0) return { acquired: true, fencingToken, validity: ttl - drift };
      problem = raised
        ? `the quorum answered after the lock's validity (ttl − elapsed − drift) ran out; raise the ttl`
        : 'too few nodes confirmed the fencing token';
    }

    // A failed attempt removes its partial keys on every node before anyone retries (no notification:
    // contenders that split the votes must not wake each other into lock-step).
    await this.removePartialKeys(lock, token, round);
    // Report what every node answered by now (the cleanup waited for those that had not answered).
    const votes = round.current();
    const errorsMatter = problem !== undefined || round.tally.for + round.tally.failed >= q;
    if (!errorsMatter) {
      const pttls = votes
        .filter((v) => v.vote === 'against')
        .map((v) => (v.reply as AttemptResult & { acquired: false }).retryAfter ?? 0)
        .filter((pttl) => pttl > 0);
      return pttls.length > 0 ? { acquired: false, retryAfter: Math.min(...pttls) } : { acquired: false };
    }
    // Unreachable or failing nodes, not other owners, kept the quorum away: retry while the caller waits,
    // otherwise say which node did what.
    if (context.willWait) return { acquired: false };
    throw new LockQuorumError(resource, 'acquire', plainVotes(votes), {
      cause: problem === undefined ? firstError(votes) : new Error(problem),
    });
  }

  protected async _extend(resource: string, token: string, ttl: number): Promise<ExtendResult> {
    const started = monotonicNow();
    const drift = redlockDrift(this.driftFactor, ttl);
    const { lock } = this.keysOf(resource);
    const q = this.quorum;
    // Only PEXPIRE where the node still holds our token; a failed extension never deletes anything.
    const round = await this.quorumRound<ExtendResult>({
      size: this.nodes.length,
      request: (i) => this.commands[i]!.extend(lock, token, ttl),
      classify: (reply) => (reply.extended ? 'for' : 'against'),
      timeout: Math.max(1, Math.min(this.requestTimeout, ttl - drift)),
      done: (t) => t.for >= q || t.for + t.pending < q,
    });
    if (round.tally.for >= q) {
      if (ttl - (monotonicNow() - started) - drift > 0) return { extended: true, validity: ttl - drift };
      return { extended: false, reason: 'expired' };
    }
    if (round.tally.for + round.tally.failed >= q) {
      throw new LockQuorumError(resource, 'extend', plainVotes(round.votes), {
        cause: firstError(round.votes),
      });
    }
    const notOwner = round.votes.some(
      (v) => v.vote === 'against' && (v.reply as ExtendResult & { extended: false }).reason === 'not-owner',
    );
    return { extended: false, reason: notOwner ? 'not-owner' : 'expired' };
  }

  protected async _release(resource: string, token: string): Promise<ReleaseResult> {
    const { lock, channel } = this.keysOf(resource);
    const round = await this.releaseEverywhere(lock, token, channel);
    // Nodes that did not answer may still hold the token: while they could form a quorum, the lock is not
    // known to be released.
    if (round.tally.failed >= this.quorum) {
      throw new LockQuorumError(resource, 'release', plainVotes(round.votes), {
        cause: firstError(round.votes),
      });
    }
    const replies = round.votes.filter((v) => v.vote === 'for').map((v) => v.reply as ReleaseResult);
    if (replies.includes('released')) return 'released';
    if (replies.includes('not-owner')) return 'not-owner';
    return 'expired';
  }

  protected async _inspect(resource: string): Promise<LockInfo | null> {
    const { lock, fence } = this.keysOf(resource);
    const round = await this.quorumRound<SingleKeyLockState>({
      size: this.nodes.length,
      request: (i) => this.commands[i]!.inspect({ lock, fence }),
      classify: () => 'for',
      timeout: this.requestTimeout,
    });
    const answers = round.votes.filter((v) => v.vote === 'for').map((v) => v.reply as SingleKeyLockState);
    // -1 (a key without expiry) holds forever.
    const held = answers
      .map((reply) => reply.pttl)
      .filter((pttl) => pttl !== -2)
      .map((pttl) => (pttl === -1 ? Number.POSITIVE_INFINITY : pttl))
      .sort((a, b) => b - a);
    const q = this.quorum;
    if (held.length < q && held.length + round.tally.failed >= q) {
      throw new LockQuorumError(resource, 'inspect', plainVotes(round.votes), {
        cause: firstError(round.votes),
      });
    }
    if (held.length < q) return null;
    // The lock holds until fewer than a quorum of nodes keep it: the q-th longest remaining ttl.
    const ttl = held[q - 1]!;
    const fencingToken = Math.max(0, ...answers.map((reply) => reply.fencingToken));
    return { resource, ttl: ttl === Number.POSITIVE_INFINITY ? -1 : ttl, fencingToken };
  }

  protected override _isWatched(resource: string): boolean {
    return this.watches.get(resource)?.subscribed === true;
  }

  protected override async _watch(resource: string, onRelease: () => void): Promise<Unwatch> {
    // A node that refused last time (it was down, say) makes this waiter subscribe afresh; the nodes that
    // took the old listeners keep the channel meanwhile, since the hub counts listeners.
    const { subscription: watch, leave } = this.watches.join(resource, () =>
      this.subscribeEverywhere(resource),
    );
    const remove = this.waiters.add(resource, onRelease);
    // A release publishes on every node of the holder's quorum, so subscriptions on a quorum of nodes
    // catch it. A node that cannot subscribe in time only costs the notification: waiters poll anyway.
    await watch.ready;
    return async () => {
      if (remove()) leave();
    };
  }

  /** Subscribes one listener per node to the resource's release channel. */
  private subscribeEverywhere(resource: string): ResourceWatch {
    const { channel } = this.keysOf(resource);
    // One release wakes one waiter of this instance, however many nodes announce it (the message is the
    // release id): only one can win, and waking all of them — once per node — would send them at the nodes
    // in lock-step, splitting the votes; the others keep polling.
    const listener = (message: string) => this.waiters.wakeOldest(resource, message);
    const subscriptions = this.nodes.map((node) =>
      node.subscribe(channel, listener, node.isCluster ? { sharded: true } : undefined),
    );
    const ready = atLeast(
      subscriptions.map((s) => s.then(() => true)),
      this.quorum,
      this.requestTimeout,
    );
    const watch: ResourceWatch = {
      ready,
      subscribed: false,
      failed: false,
      // Each node's unsubscribe is bounded by requestTimeout: a node that does not answer must not stall close().
      end: async () => {
        await Promise.all(
          subscriptions.map(async (s) => {
            const pending = s.then((unsubscribe) => unsubscribe());
            pending.catch(() => undefined);
            await atLeast([pending.then(() => true)], 1, this.requestTimeout);
          }),
        );
      },
    };
    for (const s of subscriptions)
      s.catch(() => {
        watch.failed = true;
        watch.subscribed = false;
      });
    void ready.then((ok) => {
      if (ok && !watch.failed) watch.subscribed = true;
    });
    return watch;
  }

  protected async _close(): Promise<void> {
    // Our adapters close alongside: that settles unsubscribes still waiting for a node that is down.
    await Promise.all([this.watches.close(), ...this.owned.map((adapter) => adapter.close())]);
    // Let requests to slow nodes finish (bounded), so callers may quit their clients right after close().
    await atLeast([Promise.allSettled([...this.inFlight]).then(() => true)], 1, this.requestTimeout);
  }

  /** Runs a quorum round; requests still on the wire when it settles are tracked for close(). */
  private async quorumRound<R>(options: RoundOptions<R>): Promise<Round<R>> {
    const round = await runRound(options);
    if (round.unanswered.length > 0) this.tracked(Promise.allSettled(round.outcomes));
    return round;
  }

  /** Tracks a node request until it settles. */
  private tracked<T>(request: Promise<T>): Promise<T> {
    this.inFlight.add(request);
    const forget = () => this.inFlight.delete(request);
    request.then(forget, forget);
    return request;
  }

  /**
   * Sends the release script to every node after a lost attempt and waits (up to the request timeout) for
   * the nodes that may hold the token: those that voted for it or had not answered yet. Nodes that voted
   * against, failed, or already timed out are not waited for again; their release still goes out, queued
   * behind the acquire on the same connection, so it can never run before it.
   */
  private async removePartialKeys(lock: string, token: string, round: Round<AttemptResult>): Promise<void> {
    const mayHold = new Set([
      ...round.unanswered,
      ...round.votes.filter((v) => v.vote === 'for').map((v) => v.node),
    ]);
    // A node that refused holds another owner's key, never ours (the script answers 'for' to our own
    // token), so it is skipped; a node that failed may have written before failing, so it is asked too.
    const refused = new Set(round.votes.filter((v) => v.vote === 'against').map((v) => v.node));
    const removals = this.commands.map((node, i) =>
      refused.has(i) ? undefined : this.tracked(node.release(lock, token)),
    );
    for (const removal of removals) removal?.catch(() => undefined);
    await atLeast(
      removals.flatMap((removal, i) => (removal && mayHold.has(i) ? [removal.then(() => true)] : [])),
      mayHold.size,
      this.requestTimeout,
    );
  }

  /**
   * Sends the release script to every node and settles once fewer than a quorum of nodes may still hold
   * the token (those not answered yet or failed): the lock can no longer be valid then, so a slow node
   * never stalls a release. Its release is still on the wire and lands after any acquire sent before it.
   */
  private releaseEverywhere(lock: string, token: string, channel: string): Promise<Round<ReleaseResult>> {
    const q = this.quorum;
    // Every node announces the release: one id for all of them lets a waiter wake once, not once per node.
    const message = `${this.instanceId}:${++this.releases}`;
    return this.quorumRound<ReleaseResult>({
      done: (t) => t.pending + t.failed < q,
      size: this.nodes.length,
      request: (i) =>
        this.commands[i]!.release(lock, token, { channel, message, sharded: this.nodes[i]!.isCluster }),
      classify: () => 'for',
      timeout: this.requestTimeout,
    });
  }

  /**
   * Makes the issued fencing token durable: raises the counter to `token` on every node that does not
   * already hold it, and resolves true once a quorum of nodes holds at least `token`. Any later quorum
   * shares a node with this one, so its INCR starts at `token` or above.
   */
  private raiseFence(fence: string, token: number, round: Round<AttemptResult>): Promise<boolean> | boolean {
    // Steady state: the quorum that granted the lock already issued `token` on enough nodes.
    const issued = round.votes.filter(
      (v) => v.vote === 'for' && ((v.reply as AttemptResult & { acquired: true }).fencingToken ?? 0) >= token,
    ).length;
    if (issued >= this.quorum) return true;
    const checks = round.outcomes.map(async (outcome, i) => {
      const result = await outcome;
      if (result.ok && result.reply.acquired && (result.reply.fencingToken ?? 0) >= token) return true;
      const after = toInteger(
        await this.tracked(this.nodes[i]!.evalScript(redlockFenceRaise, [fence], [token])),
      );
      return after >= token;
    });
    for (const check of checks) check.catch(() => undefined);
    return atLeast(checks, this.quorum, this.requestTimeout);
  }
}

/** Creates a Redlock strategy over independent Redis nodes. */
export function createRedlock(options: RedlockOptions): Redlock {
  return new Redlock(options);
}
