import type { Redis } from 'ioredis';
import { isMultiNode } from '../strategies/registry.js';
import type { ForcedReleaseOutcome, StrategyEntry } from '../strategies/strategy-entry.js';
import { UsageError } from '../usage-error.js';
import { clientsOf, entryClients, type LockLookupOptions, type NodesHeld } from './inspect-locks.js';
import { ownerAcrossNodes } from './node-owners.js';
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
  /** The Redis key of the lock (on every node, for a quorum strategy). */
  readonly key: string;
  /** Remaining time to live in ms. */
  readonly ttlMs: number;
  /** Latest fencing token, when the strategy has fencing. */
  readonly fencingToken: number | null;
  /** Owner token prefix for display. */
  readonly ownerPreview: string | null;
  /** The full owner token: used only to release exactly this lock, never printed. */
  readonly owner: string;
  /** The nodes the release runs on: the first one, or every node for a quorum strategy. */
  readonly clients: readonly Redis[];
  /** Quorum strategies: on how many nodes that owner holds it; `null` for single-node strategies. */
  readonly nodes: NodesHeld | null;
}

/** Options of {@link findForceReleaseTarget}; `strategies` are the candidates (one with `--strategy`). */
export interface FindTargetOptions extends LockLookupOptions {
  /** The resource to release. */
  readonly resource: string;
}

/**
 * The lock currently held on `resource` in one of the strategies' namespaces, or `null` when none holds it;
 * a UsageError when several do (the caller must name one with `--strategy`).
 */
export async function findForceReleaseTarget(options: FindTargetOptions): Promise<ForceReleaseTarget | null> {
  const { resource } = options;
  const clients = clientsOf(options);
  const targets: ForceReleaseTarget[] = [];
  for (const entry of options.strategies) {
    const nodes = entryClients(entry, clients);
    const namespace = options.namespace ?? entry.defaultNamespace;
    const key = entry.layout.lockKey(namespace, resource);
    const found = await ownerAcrossNodes(entry.layout, nodes, key);
    if (!found) continue;
    const strategy = entry.create({ clients: nodes, namespace });
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
        ownerPreview: ownerPreview(found.owner),
        owner: found.owner,
        candidates: [entry.name],
        clients: nodes,
        nodes: isMultiNode(entry) ? { held: found.held, total: nodes.length } : null,
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
  // One key found through several strategies sharing a layout and a namespace: it is one lock; release it
  // on the most nodes any of them uses.
  const [first] = [...targets].sort((a, b) => b.clients.length - a.clients.length);
  return first ? { ...first, candidates: targets.map((target) => target.entry.name) } : null;
}

/**
 * Releases exactly the lock that was found (and confirmed): an atomic compare-and-delete on its owner token
 * on each of its nodes, so a lock that changed hands in the meantime is left alone. `released` when some node
 * deleted it, else `changed` when some node holds another owner now, else `not-held`.
 */
export async function forceRelease(target: ForceReleaseTarget): Promise<ForcedReleaseOutcome> {
  const location = { namespace: target.namespace, resource: target.resource, key: target.key };
  const outcomes = await Promise.all(
    target.clients.map((client) => target.entry.layout.releaseOwner(client, location, target.owner)),
  );
  if (outcomes.includes('released')) return 'released';
  return outcomes.includes('changed') ? 'changed' : 'not-held';
}
