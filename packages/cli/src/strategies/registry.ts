import { createKeyedLock, DEFAULT_KEYED_NAMESPACE } from '@redis-locks/keyed';
import { createOptimisticLock, DEFAULT_OPTIMISTIC_NAMESPACE } from '@redis-locks/optimistic';
import { createRedlock, DEFAULT_REDLOCK_NAMESPACE } from '@redis-locks/redlock';
import { createSemaphore, DEFAULT_SEMAPHORE_NAMESPACE } from '@redis-locks/semaphore';
import { UsageError } from '../usage-error.js';
import { createHashTagLayout, hashTagLayout } from './hash-tag-layout.js';
import { semaphoreLayout } from './semaphore-layout.js';
import type { StrategyContext, StrategyEntry } from './strategy-entry.js';
import { UnsafeGetSetLock } from './unsafe-get-set-lock.js';

function singleClient(context: StrategyContext, strategy: string): StrategyContext['clients'][number] {
  const client = context.clients[0];
  if (!client) throw new TypeError(`${strategy} needs one Redis client; received none`);
  return client;
}

/** Independent nodes Redlock runs on in `compare` and needs at least in `inspect` and `release`. */
export const REDLOCK_NODES = 3;

/** Every strategy the CLI knows, in the order `compare` runs them. */
export const STRATEGIES: readonly StrategyEntry[] = [
  {
    name: 'optimistic',
    guarantee:
      'Single primary; SET NX PX with compare-and-delete release, fencing tokens; cheapest per attempt.',
    defaultNamespace: DEFAULT_OPTIMISTIC_NAMESPACE,
    layout: hashTagLayout,
    create: (context) =>
      createOptimisticLock({
        client: singleClient(context, 'optimistic'),
        namespace: context.namespace ?? DEFAULT_OPTIMISTIC_NAMESPACE,
      }),
  },
  {
    name: 'keyed',
    guarantee:
      'Single primary; SET NX PX with a caller-chosen owner value; release and extend only with the right value, atomically.',
    defaultNamespace: DEFAULT_KEYED_NAMESPACE,
    // keyed makes one attempt by default (retries are opt-in): compare passes an explicit waitTimeout.
    layout: hashTagLayout,
    create: (context) =>
      createKeyedLock({
        client: singleClient(context, 'keyed'),
        namespace: context.namespace ?? DEFAULT_KEYED_NAMESPACE,
      }),
  },
  {
    name: 'semaphore',
    guarantee:
      'Single primary (optionally WAIT-confirmed on replicas); lock hash with fencing index, pub/sub wake-ups of waiters.',
    defaultNamespace: DEFAULT_SEMAPHORE_NAMESPACE,
    layout: semaphoreLayout,
    create: (context) =>
      createSemaphore({
        client: singleClient(context, 'semaphore'),
        namespace: context.namespace ?? DEFAULT_SEMAPHORE_NAMESPACE,
      }),
  },
  {
    name: 'redlock',
    guarantee:
      'Holds while a majority of independent nodes keep it, within validity = ttl − elapsed − drift.',
    defaultNamespace: DEFAULT_REDLOCK_NAMESPACE,
    nodes: REDLOCK_NODES,
    // Each node holds `${namespace}:{resource}` as a string; its release is announced on `…:released`.
    layout: createHashTagLayout({ releasedChannel: (lockKey) => `${lockKey}:released` }),
    create: (context) =>
      createRedlock({
        clients: context.clients,
        namespace: context.namespace ?? DEFAULT_REDLOCK_NAMESPACE,
      }),
  },
  {
    name: 'unsafe-get-set',
    guarantee:
      'None: GET then SET without NX, a deliberately broken lock that shows what the overlap checker catches.',
    defaultNamespace: 'redis-locks:unsafe-get-set',
    demoOnly: true,
    layout: hashTagLayout,
    create: (context) =>
      new UnsafeGetSetLock(
        singleClient(context, 'unsafe-get-set'),
        context.namespace ?? 'redis-locks:unsafe-get-set',
      ),
  },
];

/** The strategies used when none is named: every real one, no demonstration. */
export function defaultStrategies(): StrategyEntry[] {
  return STRATEGIES.filter((entry) => !entry.demoOnly);
}

/** The names of the strategies used when none is named. */
export function strategyNames(): string[] {
  return defaultStrategies().map((entry) => entry.name);
}

/** The entry named `name`; a {@link UsageError} listing the known names otherwise. */
export function findStrategy(name: string): StrategyEntry {
  const entry = STRATEGIES.find((candidate) => candidate.name === name);
  if (!entry) {
    const known = STRATEGIES.map((candidate) => candidate.name).join(', ');
    throw new UsageError(`unknown strategy '${name}' (known: ${known})`);
  }
  return entry;
}

/** The entries named in `names` (the default ones when `names` is undefined or empty), without duplicates. */
export function selectStrategies(names?: readonly string[]): StrategyEntry[] {
  if (!names || names.length === 0) return defaultStrategies();
  return [...new Set(names)].map(findStrategy);
}

/** Independent nodes `entry` needs: its `nodes`, or 1 for a single-node strategy. */
export function nodesOf(entry: StrategyEntry): number {
  return entry.nodes ?? 1;
}

/** Whether `entry` is a quorum strategy: one that runs on every given node instead of the first one. */
export function isMultiNode(entry: StrategyEntry): boolean {
  return entry.nodes !== undefined;
}

/** What `entry` runs on out of the given nodes: every one for a quorum strategy, the first one otherwise. */
export function nodesFor<T>(entry: StrategyEntry, all: readonly T[]): T[] {
  return isMultiNode(entry) ? [...all] : all.slice(0, 1);
}

/**
 * A {@link UsageError} naming the first of `entries` that needs more independent nodes than the `urls`
 * given (`--url` repeated or comma-separated), or when a quorum strategy would get one node twice.
 */
export function checkNodeCount(entries: readonly StrategyEntry[], urls: readonly string[]): void {
  for (const entry of entries) {
    if (!isMultiNode(entry)) continue;
    const needed = nodesOf(entry);
    if (urls.length < needed) {
      throw new UsageError(
        `${entry.name} needs ${needed} independent Redis nodes; ${urls.length} --url given ` +
          `(repeat --url or separate URLs with commas, or leave ${entry.name} out with --strategies)`,
      );
    }
    if (new Set(urls).size < urls.length) {
      throw new UsageError(`${entry.name} needs independent Redis nodes; a --url was given twice`);
    }
  }
}

/**
 * Splits `entries` into those the `urls` can serve and the quorum strategies that need more nodes than given
 * (which `inspect` and `release` skip unless they were named explicitly).
 */
export function partitionByNodeCount(
  entries: readonly StrategyEntry[],
  urls: readonly string[],
): { usable: StrategyEntry[]; skipped: StrategyEntry[] } {
  const usable: StrategyEntry[] = [];
  const skipped: StrategyEntry[] = [];
  for (const entry of entries) (urls.length >= nodesOf(entry) ? usable : skipped).push(entry);
  return { usable, skipped };
}
