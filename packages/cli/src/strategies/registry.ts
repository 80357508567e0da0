import { createKeyedLock, DEFAULT_KEYED_NAMESPACE } from '@redis-locks/keyed';
import { createOptimisticLock, DEFAULT_OPTIMISTIC_NAMESPACE } from '@redis-locks/optimistic';
import { UsageError } from '../usage-error.js';
import { hashTagLayout } from './hash-tag-layout.js';
import type { StrategyContext, StrategyEntry } from './strategy-entry.js';
import { UnsafeGetSetLock } from './unsafe-get-set-lock.js';

function singleClient(context: StrategyContext, strategy: string): StrategyContext['clients'][number] {
  const client = context.clients[0];
  if (!client) throw new TypeError(`${strategy} needs one Redis client; received none`);
  return client;
}

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
