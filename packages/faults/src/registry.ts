import type { LockStrategy } from '@redis-locks/core';
import { createKeyedLock } from '@redis-locks/keyed';
import { createOptimisticLock } from '@redis-locks/optimistic';
import type { Redis } from 'ioredis';
import { type NaiveFlaws, NaiveLock } from './naive-lock.js';

/**
 * One strategy under test. Adding a strategy to the campaign is one entry here: the scenarios only use
 * the `LockStrategy` contract, the number of independent nodes it needs, and whether it fences.
 */
export interface StrategyEntry {
  /** Registry name (also the `strategy` column of the results). */
  readonly name: string;
  /** Independent Redis servers it runs on (Redlock: a quorum over several). */
  readonly nodes: number;
  /** Whether every lock carries a fencing token. */
  readonly fencing: boolean;
  /** The package that must load for the entry to run (missing or unbuilt → skipped, never blocking). */
  readonly module?: string;
  /** A strategy over `clients` (one per node) keeping its keys under `namespace`. */
  create(clients: readonly Redis[], namespace: string): Promise<LockStrategy>;
}

/** The pieces of a loaded module the optional entries call, typed loosely so an unbuilt package never breaks typecheck. */
type Factory = (options: Record<string, unknown>) => LockStrategy;

async function load(module: string, factory: string): Promise<Factory> {
  const loaded = (await import(/* @vite-ignore */ module)) as Record<string, unknown>;
  const fn = loaded[factory];
  if (typeof fn !== 'function') throw new Error(`${module} does not export ${factory}()`);
  return fn as Factory;
}

const fast = { delay: 20, jitter: 10, backoff: 'fixed' } as const;

export const STRATEGIES: readonly StrategyEntry[] = [
  {
    name: 'optimistic',
    nodes: 1,
    fencing: true,
    create: async (clients, namespace) =>
      createOptimisticLock({ client: clients[0]!, namespace, retry: fast }),
  },
  {
    name: 'keyed',
    nodes: 1,
    fencing: true,
    create: async (clients, namespace) => createKeyedLock({ client: clients[0]!, namespace, retry: fast }),
  },
  {
    name: 'semaphore',
    nodes: 1,
    fencing: true,
    module: '@redis-locks/semaphore',
    create: async (clients, namespace) =>
      (await load('@redis-locks/semaphore', 'createSemaphore'))({ client: clients[0]!, namespace }),
  },
  {
    name: 'redlock',
    nodes: 3,
    fencing: true,
    module: '@redis-locks/redlock',
    create: async (clients, namespace) =>
      (await load('@redis-locks/redlock', 'createRedlock'))({ clients, namespace, retry: fast }),
  },
];

/** The deliberately broken lock of the negative controls, registered under `naive:<flaws>`. */
export function naiveEntry(flaws: NaiveFlaws): StrategyEntry {
  return {
    name: `naive:${JSON.stringify(flaws)}`,
    nodes: 1,
    fencing: true,
    create: async (clients, namespace) => new NaiveLock(clients[0]!, namespace, flaws),
  };
}

/** Looks an entry up by name (`naive:{...}` entries are rebuilt from their flaws). */
export function strategyByName(name: string): StrategyEntry {
  if (name.startsWith('naive:')) return naiveEntry(JSON.parse(name.slice('naive:'.length)) as NaiveFlaws);
  const entry = STRATEGIES.find((s) => s.name === name);
  if (!entry) throw new Error(`unknown strategy ${name}`);
  return entry;
}

/**
 * Entries whose package loads, and why the others were skipped. `FAULTS_STRATEGIES=optimistic,keyed`
 * narrows the run; the smoke profile runs one strategy per scenario (`scenario` picks which).
 */
export async function availableStrategies(
  scenario = 0,
): Promise<{ run: StrategyEntry[]; skipped: string[] }> {
  const only = process.env.FAULTS_STRATEGIES?.split(',').map((s) => s.trim());
  const run: StrategyEntry[] = [];
  const skipped: string[] = [];
  for (const entry of STRATEGIES) {
    if (only && !only.includes(entry.name)) continue;
    if (entry.module) {
      try {
        await import(/* @vite-ignore */ entry.module);
      } catch (error) {
        skipped.push(
          `${entry.name}: ${entry.module} does not load (${(error as Error).message.split('\n')[0]})`,
        );
        continue;
      }
    }
    run.push(entry);
  }
  // The smoke profile runs each scenario once: strategies take turns over the scenarios.
  if (process.env.FAULTS_PROFILE === 'smoke' && !only && run.length > 1) {
    const pick = run[scenario % run.length]!;
    return {
      run: [pick],
      skipped: [...skipped, `smoke profile: scenario ${scenario} runs ${pick.name} only`],
    };
  }
  return { run, skipped };
}
