import type { LockStrategy, RetryPolicy } from '@redis-locks/core';
import type { Redis } from 'ioredis';

/** Where a strategy keeps one lock, so `inspect` and `release --force` can find it without the strategy's help. */
export interface KeyLayout {
  /** A SCAN MATCH pattern for the lock keys of `namespace` whose resource matches the glob `resourceGlob`. */
  scanPattern(namespace: string, resourceGlob: string): string;
  /** The resource a scanned key belongs to, or `undefined` when the key is not a lock key (a fencing counter...). */
  resourceOf(namespace: string, key: string): string | undefined;
  /** The key holding the owner token of `resource`: deleting it releases the lock. */
  lockKey(namespace: string, resource: string): string;
  /**
   * The owner token stored in lock key `key`, or `null` when the lock is not held or the key is not a lock
   * of this layout (another type).
   */
  readOwner(client: Redis, key: string): Promise<string | null>;
  /**
   * Releases the lock at `location` on the node of `client` only while it still holds `owner` (one atomic
   * compare-and-delete script, which also wakes waiters where the strategy has any): `changed` when another
   * owner holds it now.
   */
  releaseOwner(client: Redis, location: LockLocation, owner: string): Promise<ForcedReleaseOutcome>;
  /** Waiters queued for the lock; `null` (or no method) when the strategy keeps no waiter list. */
  countWaiters?(client: Redis, location: LockLocation): Promise<number | null>;
}

/** Where one lock lives: its namespace, resource and lock key (`layout.lockKey(namespace, resource)`). */
export interface LockLocation {
  /** Key prefix. */
  readonly namespace: string;
  /** The locked resource. */
  readonly resource: string;
  /** The key holding the owner. */
  readonly key: string;
}

/** What a forced release found: `released`, `not-held` (nothing there), `changed` (held by another owner now). */
export type ForcedReleaseOutcome = 'released' | 'not-held' | 'changed';

/** What a registered strategy needs to build an instance. */
export interface StrategyContext {
  /** Connected ioredis clients: one for single-primary strategies, one per independent node for quorum ones. */
  readonly clients: readonly Redis[];
  /** Key prefix; the entry's `defaultNamespace` when omitted. */
  readonly namespace?: string;
}

/** One strategy the CLI knows: adding a strategy to `compare`, `inspect` and `release` is one of these. */
export interface StrategyEntry {
  /** The strategy's `name` (`optimistic`, `keyed`, `semaphore`, `redlock`). */
  readonly name: string;
  /** The guarantee it gives, in one sentence (ARCHITECTURE.md §3). */
  readonly guarantee: string;
  /** The namespace the strategy uses when its caller chooses none. */
  readonly defaultNamespace: string;
  /**
   * Independent Redis nodes the strategy needs (quorum strategies such as Redlock): it then gets one client
   * per given node (at least this many), and `compare` starts this many servers when it starts its own.
   * Omitted: a single-node strategy, which gets the first node only.
   */
  readonly nodes?: number;
  /** A demonstration that is never run, inspected or released unless named explicitly. */
  readonly demoOnly?: boolean;
  /** Retry spacing a waiting caller passes to `acquire`, for strategies that do not wait by default. */
  readonly waitRetry?: RetryPolicy;
  /** Its key layout. */
  readonly layout: KeyLayout;
  /** Builds an instance; the caller closes it (and its own clients). */
  create(context: StrategyContext): LockStrategy;
}
