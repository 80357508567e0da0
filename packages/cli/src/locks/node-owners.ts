import type { Redis } from 'ioredis';
import type { KeyLayout } from '../strategies/strategy-entry.js';

/** The owner found on most nodes and on how many of them it holds the lock. */
export interface NodeOwner {
  /** The owner token (never printed). */
  readonly owner: string;
  /** Nodes whose lock key holds this owner. */
  readonly held: number;
}

/**
 * Reads lock key `key` on every node and returns the owner most nodes hold (the first such one on a tie), or
 * `null` when no node holds a lock of this layout under the key.
 */
export async function ownerAcrossNodes(
  layout: KeyLayout,
  clients: readonly Redis[],
  key: string,
): Promise<NodeOwner | null> {
  const owners = await Promise.all(clients.map((client) => layout.readOwner(client, key)));
  const counts = new Map<string, number>();
  for (const owner of owners) if (owner !== null) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  let best: NodeOwner | null = null;
  for (const [owner, held] of counts) if (!best || held > best.held) best = { owner, held };
  return best;
}
