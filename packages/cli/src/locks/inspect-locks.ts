import type { Redis } from 'ioredis';
import { isMultiNode, nodesFor, nodesOf } from '../strategies/registry.js';
import type { StrategyEntry } from '../strategies/strategy-entry.js';
import { ownerAcrossNodes } from './node-owners.js';
import { ownerPreview } from './owner-preview.js';

/** On how many of a quorum strategy's nodes a lock is held. */
export interface NodesHeld {
  /** Nodes whose lock key holds the owner shown. */
  readonly held: number;
  /** Nodes inspected. */
  readonly total: number;
}

/** One held lock, as `redis-locks inspect` reports it. */
export interface HeldLock {
  /**
   * Strategy whose namespace holds it; `a|b` when strategies with the same key layout were scanned in one
   * namespace (`--namespace`), since the key alone cannot tell which of them wrote it.
   */
  readonly strategy: string;
  /** Namespace (key prefix). */
  readonly namespace: string;
  /** The locked resource. */
  readonly resource: string;
  /** The Redis key of the lock. */
  readonly key: string;
  /**
   * Remaining time to live in ms (`-1`: no expiry); for a quorum strategy, until fewer than a quorum of
   * nodes keep it.
   */
  readonly ttlMs: number;
  /** Latest fencing token issued for the resource, when the strategy has fencing. */
  readonly fencingToken: number | null;
  /** The first characters of the owner token followed by `…`; never the whole token. */
  readonly ownerPreview: string | null;
  /** Waiters queued for the lock; `null` for strategies that keep no waiter list (polling ones). */
  readonly waiters: number | null;
  /** Quorum strategies: on how many nodes that owner holds it; `null` for single-node strategies. */
  readonly nodes: NodesHeld | null;
}

/** The nodes and strategies `inspect` and `release --force` look through. */
export interface LockLookupOptions {
  /**
   * Connected ioredis clients, one per node: single-node strategies use the first, quorum strategies all of
   * them (at least their `nodes`).
   */
  readonly clients?: readonly Redis[];
  /** One connected client (same as `clients: [client]`). */
  readonly client?: Redis;
  /** Strategies whose namespaces are looked through. */
  readonly strategies: readonly StrategyEntry[];
  /** Namespace instead of each strategy's default one. */
  readonly namespace?: string;
}

/** Options of {@link inspectLocks}. */
export interface InspectOptions extends LockLookupOptions {
  /** Redis glob over resource names (default `*`). */
  readonly pattern?: string;
}

/** The clients of `options` (`clients`, else `[client]`); a TypeError when there are none. */
export function clientsOf(options: { clients?: readonly Redis[]; client?: Redis }): readonly Redis[] {
  const clients = options.clients ?? (options.client ? [options.client] : []);
  if (clients.length === 0) throw new TypeError('expected a connected Redis client');
  return clients;
}

/** The nodes `entry` runs on; a RangeError when a quorum strategy gets fewer than it needs. */
export function entryClients(entry: StrategyEntry, clients: readonly Redis[]): Redis[] {
  if (clients.length < nodesOf(entry)) {
    throw new RangeError(
      `${entry.name} needs ${nodesOf(entry)} independent Redis nodes; ${clients.length} given`,
    );
  }
  return nodesFor(entry, clients);
}

/** Every key matching `pattern` on `client` (SCAN, never KEYS). */
async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/**
 * Lists the locks currently held in the namespaces of `strategies` (SCAN, never KEYS), sorted by resource.
 * A quorum strategy's nodes are scanned one by one, and each lock it reports (held by a quorum) says on how
 * many nodes its owner holds it.
 */
export async function inspectLocks(options: InspectOptions): Promise<HeldLock[]> {
  const clients = clientsOf(options);
  const found = new Map<string, HeldLock>();
  for (const entry of options.strategies) {
    const nodes = entryClients(entry, clients);
    const namespace = options.namespace ?? entry.defaultNamespace;
    const pattern = entry.layout.scanPattern(namespace, options.pattern ?? '*');
    const resources = new Map<string, string>();
    for (const client of nodes) {
      for (const key of await scanKeys(client, pattern)) {
        const resource = entry.layout.resourceOf(namespace, key);
        if (resource !== undefined) resources.set(key, resource);
      }
    }
    const strategy = entry.create({ clients: nodes, namespace });
    try {
      for (const [key, resource] of resources) {
        const owner = await ownerAcrossNodes(entry.layout, nodes, key);
        if (!owner) continue; // released since the scan, or a key of another layout (a semaphore hash...)
        const nodesHeld = isMultiNode(entry) ? { held: owner.held, total: nodes.length } : null;
        const seen = found.get(key);
        if (seen) {
          // Same key layout in one namespace: one lock, listed once; a quorum strategy adds its node count.
          found.set(key, {
            ...seen,
            strategy: `${seen.strategy}|${entry.name}`,
            nodes: seen.nodes ?? nodesHeld,
          });
          continue;
        }
        const info = await strategy.inspect(resource);
        if (!info) continue; // released since the scan, or (quorum strategies) held by fewer than a quorum
        const location = { namespace, resource, key };
        const waiters = entry.layout.countWaiters
          ? await entry.layout.countWaiters(nodes[0]!, location)
          : null;
        found.set(key, {
          strategy: entry.name,
          namespace,
          resource,
          key,
          ttlMs: info.ttl,
          fencingToken: info.fencingToken ?? null,
          ownerPreview: ownerPreview(owner.owner),
          waiters,
          nodes: nodesHeld,
        });
      }
    } finally {
      await strategy.close();
    }
  }
  return [...found.values()].sort(
    (a, b) => a.resource.localeCompare(b.resource) || a.strategy.localeCompare(b.strategy),
  );
}
