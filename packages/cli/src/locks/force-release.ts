import type { Redis } from 'ioredis';
import type { ForcedReleaseOutcome, StrategyEntry } from '../strategies/strategy-entry.js';
import { UsageError } from '../usage-error.js';
import { ownerPreview } from './owner-preview.js';

/** A held lock found for a forced release: what the confirmation prompt shows. */
export interface ForceReleaseTarget {
  /** Strategy whose namespace holds it (the first candidate when several share the key). */
  readonly entry: StrategyEntry;
  /** Every strategy whose layout puts this lock under this key (several when they share a namespace). */
  readonly candidates: string[];
  /** Namespace (key prefix). */
  readonly namespace: string;
  /** The locked resource. */
  readonly resource: string;
  /** The Redis key of the lock. */
  readonly key: string;
  /** Remaining time to live in ms. */
  readonly ttlMs: number;
  /** Latest fencing token, when the strategy has fencing. */
  readonly fencingToken: number | null;
  /** Owner token prefix for display. */
  readonly ownerPreview: string | null;
  /** The full owner token: used only to release exactly this lock, never printed. */
  readonly owner: string;
}

/** Options of {@link findForceReleaseTarget}. */
export interface FindTargetOptions {
  /** A connected ioredis client. */
  readonly client: Redis;
  /** Candidate strategies (one when `--strategy` was given). */
  readonly strategies: readonly StrategyEntry[];
  /** Namespace instead of each strategy's default one. */
  readonly namespace?: string;
  /** The resource to release. */
  readonly resource: string;
}

/**
 * The lock currently held on `resource` in one of the strategies' namespaces, or `null` when none holds it;
 * a UsageError when several do (the caller must name one with `--strategy`).
 */
export async function findForceReleaseTarget(options: FindTargetOptions): Promise<ForceReleaseTarget | null> {
  const { client, resource } = options;
  const targets: ForceReleaseTarget[] = [];
  for (const entry of options.strategies) {
    const namespace = options.namespace ?? entry.defaultNamespace;
    const key = entry.layout.lockKey(namespace, resource);
    const owner = await entry.layout.readOwner(client, key);
    if (owner === null) continue;
    const strategy = entry.create({ clients: [client], namespace });
    try {
      const info = await strategy.inspect(resource);
      if (!info) continue;
      targets.push({
        entry,
        namespace,
        resource,
        key,
        ttlMs: info.ttl,
        fencingToken: info.fencingToken ?? null,
        ownerPreview: ownerPreview(owner),
        owner,
        candidates: [entry.name],
      });
    } finally {
      await strategy.close();
    }
  }
  const keys = new Set(targets.map((target) => target.key));
  if (keys.size > 1) {
    throw new UsageError(
      `"${resource}" is held under several strategies (${targets.map((t) => t.entry.name).join(', ')}); ` +
        'choose one with --strategy',
    );
  }
  const [first] = targets;
  // One key found through several strategies sharing a layout and a namespace: it is one lock.
  return first ? { ...first, candidates: targets.map((target) => target.entry.name) } : null;
}

/**
 * Releases exactly the lock that was found (and confirmed): an atomic compare-and-delete on its owner token,
 * so a lock that changed hands in the meantime is left alone (`changed`).
 */
export function forceRelease(client: Redis, target: ForceReleaseTarget): Promise<ForcedReleaseOutcome> {
  return target.entry.layout.releaseOwner(client, target.key, target.owner);
}
