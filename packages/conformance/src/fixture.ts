import type { LockStrategy } from '@redis-locks/core';
import { lastCommandOf, listKeys, withClient } from '@redis-locks/testing';
import { expect, inject } from 'vitest';
import { openClient, type SuiteClient } from './clients.js';
import { randomHex } from './helpers.js';
import type { ClientKind, ConformanceContext, ConformanceTarget } from './types.js';

/** Default of `ConformanceTarget.leftoverKeys`: fencing counters outlive their locks by design. */
export const DEFAULT_LEFTOVER_KEYS = /:fence$/;

function sanitize(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'strategy'
  );
}

/** Clients, strategies and helpers shared by the groups of one client kind; populated in `beforeAll`. */
export class SuiteFixture {
  readonly scale: number;
  readonly leftoverKeys: RegExp;
  urls: string[] = [];
  namespace = '';
  private readonly openedClients: SuiteClient[] = [];
  private readonly createdStrategies: LockStrategy[] = [];
  private mainClients: SuiteClient[] = [];
  private mainStrategy: LockStrategy | undefined;
  private otherStrategy: LockStrategy | undefined;
  private probeStrategy: LockStrategy | undefined;
  private probeClients: SuiteClient[] = [];
  private counter = 0;

  constructor(
    readonly target: ConformanceTarget,
    readonly kind: ClientKind,
  ) {
    const scale = target.ttlScale ?? 1;
    if (!(typeof scale === 'number' && Number.isFinite(scale) && scale > 0)) {
      throw new RangeError(`ttlScale must be a positive number; received ${String(scale)}.`);
    }
    this.scale = scale;
    this.leftoverKeys = target.leftoverKeys ?? DEFAULT_LEFTOVER_KEYS;
  }

  /** The main strategy instance, on the context's clients. */
  get strategy(): LockStrategy {
    if (!this.mainStrategy) throw new Error('conformance fixture is not set up (beforeAll failed?)');
    return this.mainStrategy;
  }

  /** A second strategy instance on separate connections. */
  get other(): LockStrategy {
    if (!this.otherStrategy) throw new Error('conformance fixture is not set up (beforeAll failed?)');
    return this.otherStrategy;
  }

  /** A context for `create` on the main clients. */
  get context(): ConformanceContext {
    return this.contextOn(this.mainClients);
  }

  /** `ms` multiplied by `ttlScale`, as a positive integer. */
  t(ms: number): number {
    return Math.max(1, Math.round(ms * this.scale));
  }

  /** A resource name unique within this suite run. */
  resource(label: string): string {
    this.counter += 1;
    return `${label}-${this.counter}-${randomHex(3)}`;
  }

  /** Resolves the node URLs, opens the main clients and creates the shared strategies. */
  async setup(): Promise<void> {
    this.urls = this.target.nodeUrls ? this.target.nodeUrls() : [this.defaultUrl()];
    if (!Array.isArray(this.urls) || this.urls.length === 0) {
      throw new TypeError('ConformanceTarget.nodeUrls() must return at least one Redis URL.');
    }
    this.namespace = `rlc:${sanitize(this.target.name)}:${this.kind}:${randomHex(4)}`;
    this.mainClients = await this.openClients();
    this.mainStrategy = await this.createOn(this.mainClients);
    this.otherStrategy = await this.create('separate');
    this.probeClients = await this.openClients();
    this.probeStrategy = await this.createOn(this.probeClients);
  }

  /** Opens one client of this kind per node URL. */
  async openClients(): Promise<SuiteClient[]> {
    const clients = await Promise.all(this.urls.map((url) => openClient(this.kind, url)));
    this.openedClients.push(...clients);
    return clients;
  }

  /** Creates a strategy through the target, on the main clients or on freshly opened ones. */
  async create(connections: 'shared' | 'separate' = 'shared'): Promise<LockStrategy> {
    const clients = connections === 'shared' ? this.mainClients : await this.openClients();
    return this.createOn(clients);
  }

  /** Creates a strategy through the target on `clients`; it is closed in `afterAll`. */
  async createOn(clients: readonly SuiteClient[]): Promise<LockStrategy> {
    const strategy = await this.target.create(this.contextOn(clients));
    this.createdStrategies.push(strategy);
    return strategy;
  }

  /** A context whose clients are `clients`. */
  contextOn(clients: readonly SuiteClient[]): ConformanceContext {
    const raw = clients.map((c) => c.client);
    return { kind: this.kind, client: raw[0], clients: raw, namespace: this.namespace };
  }

  /** The main clients, one per node. */
  get clients(): readonly SuiteClient[] {
    return this.mainClients;
  }

  /** Keys under the namespace on every node that are not allowed leftovers, as `node#key`. */
  async lockKeys(): Promise<string[]> {
    const perNode = await Promise.all(this.urls.map((url) => listKeys(url, `${this.namespace}*`)));
    return perNode.flatMap((keys, node) =>
      keys.filter((k) => !this.leftoverKeys.test(k)).map((k) => `${node}#${k}`),
    );
  }

  /** How many nodes hold a non-leftover key that mentions `resource`. */
  async nodesHolding(resource: string): Promise<number> {
    const perNode = await Promise.all(this.urls.map((url) => listKeys(url, `${this.namespace}*`)));
    return perNode.filter((keys) => keys.some((k) => !this.leftoverKeys.test(k) && k.includes(resource)))
      .length;
  }

  /**
   * Steals `resource` behind its holder's back: deletes its lock keys on every node through a raw
   * connection (keys that mention the resource; else every non-leftover key of the namespace).
   * Returns how many keys were deleted.
   */
  async steal(resource: string): Promise<number> {
    let deleted = 0;
    for (const url of this.urls) {
      const keys = (await listKeys(url, `${this.namespace}*`)).filter((k) => !this.leftoverKeys.test(k));
      const mentioning = keys.filter((k) => k.includes(resource));
      const victims = mentioning.length > 0 ? mentioning : keys;
      if (victims.length > 0) deleted += await withClient(url, (c) => c.del(...victims));
    }
    return deleted;
  }

  /**
   * Runs `fn` on a strategy built on dedicated connections, after sending `CLIENT ID` on each, and
   * asserts that no other command reached Redis on them meanwhile.
   */
  async expectNoCommands(fn: (strategy: LockStrategy) => Promise<void>): Promise<void> {
    if (!this.probeStrategy) throw new Error('conformance fixture is not set up (beforeAll failed?)');
    const ids = await Promise.all(this.probeClients.map((c) => c.clientId()));
    await fn(this.probeStrategy);
    for (const [node, id] of ids.entries()) {
      const last = await lastCommandOf(this.urls[node]!, id);
      expect(last, `a command reached Redis node ${node} before the arguments were validated`).toBe(
        'client|id',
      );
    }
  }

  /** Closes every strategy created so far (idempotent). */
  async closeStrategies(): Promise<void> {
    const results = await Promise.allSettled(this.createdStrategies.map((s) => s.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Closes every strategy, then every client the suite opened. */
  async teardown(): Promise<void> {
    try {
      await this.closeStrategies();
    } finally {
      await Promise.allSettled(this.openedClients.map((c) => c.close()));
    }
  }

  private defaultUrl(): string {
    const url = (inject as (key: string) => unknown)('redisUrl');
    if (typeof url !== 'string' || url.length === 0) {
      throw new Error(
        "inject('redisUrl') is not provided: use redisTestConfig() from '@redis-locks/testing/vitest' in " +
          'vitest.config.ts, or pass nodeUrls to describeLockStrategy().',
      );
    }
    return url;
  }
}
