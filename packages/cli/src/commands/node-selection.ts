import { defaultRedisUrls } from '../redis-url.js';
import { checkNodeCount, isMultiNode, nodesOf, partitionByNodeCount } from '../strategies/registry.js';
import type { StrategyEntry } from '../strategies/strategy-entry.js';

/** The strategies `compare`, `inspect` or `release` works on, the URLs to connect to, and notes about skipped ones. */
export interface NodeSelection {
  /** Strategies the given nodes can serve. */
  readonly strategies: StrategyEntry[];
  /** URLs to connect to: only the first unless a quorum strategy is selected. */
  readonly urls: string[];
  /** One line per quorum strategy left out for lack of nodes. */
  readonly notes: string[];
}

/**
 * Matches strategies with `--url` nodes: strategies named explicitly must be servable (a UsageError
 * otherwise); of the default ones, quorum strategies that need more nodes than given are left out with a
 * note, so `redis-locks compare --url` or `inspect` on one server keeps working.
 */
export function selectForNodes(
  entries: readonly StrategyEntry[],
  explicit: boolean,
  givenUrls: readonly string[] | undefined,
): NodeSelection {
  const all = givenUrls && givenUrls.length > 0 ? [...givenUrls] : defaultRedisUrls();
  let strategies: StrategyEntry[];
  const notes: string[] = [];
  if (explicit) {
    strategies = [...entries];
  } else {
    const { usable, skipped } = partitionByNodeCount(entries, all);
    strategies = usable;
    for (const entry of skipped) {
      notes.push(
        `${entry.name} skipped: it needs ${nodesOf(entry)} independent Redis nodes and ${all.length} ` +
          `--url ${all.length === 1 ? 'was' : 'were'} given (repeat --url or separate URLs with commas)`,
      );
    }
  }
  checkNodeCount(strategies, all);
  return { strategies, urls: strategies.some(isMultiNode) ? all : all.slice(0, 1), notes };
}
