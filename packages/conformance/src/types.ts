import type { LockStrategy } from '@redis-locks/core';

/** The Redis clients the suite can run a strategy against. */
export type ClientKind = 'ioredis' | 'node-redis';

/** What the suite hands to `ConformanceTarget.create`. */
export interface ConformanceContext {
  /** Which client library `client` and `clients` come from. */
  readonly kind: ClientKind;
  /** A connected client of that kind for the first node. */
  readonly client: unknown;
  /** One connected client per node URL (for multi-node strategies); `clients[0]` is `client`. */
  readonly clients: readonly unknown[];
  /** Unique per suite run: strategies MUST be created with it, so the suite can check their keys and channels. */
  readonly namespace: string;
}

/** A strategy under test and how to build it. */
export interface ConformanceTarget {
  /** Shown in the suite's title. */
  readonly name: string;
  /** Builds one strategy instance on the given client(s) and namespace; called many times. */
  create(context: ConformanceContext): LockStrategy | Promise<LockStrategy>;
  /** Client libraries to run against; default both. */
  readonly clientKinds?: ReadonlyArray<ClientKind>;
  /** Redis URLs, one per node; default `[inject('redisUrl')]`. Called inside `beforeAll`. */
  readonly nodeUrls?: () => string[];
  /** Keys allowed to remain under the namespace after every lock is released (documented counters); default `/:fence$/`. */
  readonly leftoverKeys?: RegExp;
  /** Multiplies every ttl and timing of the suite (for slow strategies); default 1. */
  readonly ttlScale?: number;
}
