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
  /** The owner token stored in lock key `key`, or `null` when the lock is not held. */
  readOwner(client: Redis, key: string): Promise<string | null>;
  /**
   * Releases lock key `key` only while it still holds `owner` (one atomic compare-and-delete, which also
   * wakes waiters where the strategy has any): `changed` when another owner holds it now.
   */
  releaseOwner(client: Redis, key: string, owner: string): Promise<ForcedReleaseOutcome>;
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
  /** A demonstration that is never run, inspected or released unless named explicitly. */
  readonly demoOnly?: boolean;
  /** Retry spacing a waiting caller passes to `acquire`, for strategies that do not wait by default. */
  readonly waitRetry?: RetryPolicy;
  /** Its key layout. */
  readonly layout: KeyLayout;
  /** Builds an instance; the caller closes it (and its own clients). */
  create(context: StrategyContext): LockStrategy;
}
