import type { Redis } from 'ioredis';
import type { StrategyEntry } from '../strategies/strategy-entry.js';
import { ownerPreview } from './owner-preview.js';

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
  /** Remaining time to live in ms (`-1`: no expiry). */
  readonly ttlMs: number;
  /** Latest fencing token issued for the resource, when the strategy has fencing. */
  readonly fencingToken: number | null;
  /** The first characters of the owner token followed by `…`; never the whole token. */
  readonly ownerPreview: string | null;
  /** Waiters queued for the lock; `null` for strategies that keep no waiter list (polling ones). */
  readonly waiters: number | null;
}

/** Options of {@link inspectLocks}. */
export interface InspectOptions {
  /** A connected ioredis client. */
  readonly client: Redis;
  /** Strategies whose namespaces are scanned. */
  readonly strategies: readonly StrategyEntry[];
  /** Namespace to scan instead of each strategy's default one. */
  readonly namespace?: string;
  /** Redis glob over resource names (default `*`). */
  readonly pattern?: string;
}

/** Lists the locks currently held in the namespaces of `strategies` (SCAN, never KEYS), sorted by resource. */
export async function inspectLocks(options: InspectOptions): Promise<HeldLock[]> {
  const { client } = options;
  const found = new Map<string, HeldLock>();
  for (const entry of options.strategies) {
    const namespace = options.namespace ?? entry.defaultNamespace;
    const strategy = entry.create({ clients: [client], namespace });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(
          cursor,
          'MATCH',
          entry.layout.scanPattern(namespace, options.pattern ?? '*'),
          'COUNT',
          1000,
        );
        cursor = next;
        for (const key of keys) {
          const resource = entry.layout.resourceOf(namespace, key);
          if (resource === undefined) continue;
          const seen = found.get(key);
          if (seen) {
            found.set(key, { ...seen, strategy: `${seen.strategy}|${entry.name}` });
            continue;
          }
          const [info, owner] = await Promise.all([
            strategy.inspect(resource),
            entry.layout.readOwner(client, key),
          ]);
          if (!info) continue; // released since the scan
          found.set(key, {
            strategy: entry.name,
            namespace,
            resource,
            key,
            ttlMs: info.ttl,
            fencingToken: info.fencingToken ?? null,
            ownerPreview: ownerPreview(owner),
            waiters: null,
          });
        }
      } while (cursor !== '0');
    } finally {
      await strategy.close();
    }
  }
  return [...found.values()].sort(
    (a, b) => a.resource.localeCompare(b.resource) || a.strategy.localeCompare(b.strategy),
  );
}
