import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Capabilities } from '@redis-locks/core';
import { type Nodes, startNodes } from '@redis-locks/testing';
import type { Redis } from 'ioredis';
import { connectAll, deleteKeysMatching, redisVersion } from '../redis-connection.js';
import { redactUrl } from '../redis-url.js';
import { escapeGlob } from '../strategies/hash-tag-layout.js';
import { checkNodeCount, isMultiNode, nodesFor, nodesOf, selectStrategies } from '../strategies/registry.js';
import type { StrategyEntry } from '../strategies/strategy-entry.js';
import type { CompareOptions } from './compare-options.js';
import { resolveCompareSettings } from './compare-options.js';
import type { CompareReport, StrategyComparison } from './compare-report.js';
import { compareStrategy } from './compare-strategy.js';

/** `compare-worker.js`, built next to this module (in `dist`, where every entry and chunk lands). */
export function defaultWorkerModule(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'compare-worker.js');
}

function capabilitiesOf(
  entry: StrategyEntry,
  clients: readonly Redis[],
  namespace: string,
): Capabilities | null {
  try {
    const instance = entry.create({ clients, namespace });
    void instance.close().catch(() => undefined);
    return instance.capabilities;
  } catch {
    return null;
  }
}

/**
 * Runs every selected strategy through the same contention scenario and hand-off measurement in worker
 * processes, checks all holds for overlaps, and reports. Starts (and stops) its own redis-servers — as many
 * independent nodes as the selected strategies need, 3 with Redlock — unless `options.urls` or `options.url`
 * is given; with given servers, it removes the keys it created, and rejects with a UsageError when a quorum
 * strategy gets fewer nodes than it needs.
 */
export async function runCompare(options: CompareOptions = {}): Promise<CompareReport> {
  const settings = resolveCompareSettings(options);
  const entries = selectStrategies(options.strategies);
  const given =
    options.urls && options.urls.length > 0 ? options.urls : options.url ? [options.url] : undefined;
  if (given) checkNodeCount(entries, given);
  const workerModule = options.workerModule ?? defaultWorkerModule();
  if (!existsSync(workerModule))
    throw new Error(`compare worker module not found at ${workerModule}; build the package`);
  const { signal, onProgress } = options;
  const startedAt = new Date();
  const wallStart = performance.now();
  const nodeCount = Math.max(1, ...entries.map(nodesOf));

  signal?.throwIfAborted();
  if (!given) {
    const what = nodeCount === 1 ? 'a private redis-server' : `${nodeCount} private redis-servers`;
    onProgress?.({ phase: 'redis', message: `starting ${what}` });
  }
  const servers: Nodes | undefined = given ? undefined : await startNodes(nodeCount);
  // With given URLs, only the nodes some selected strategy runs on are used (the first one unless a
  // quorum strategy is selected).
  const all = given ?? servers!.nodes.map((node) => node.url);
  const urls = entries.some(isMultiNode) ? [...all] : all.slice(0, 1);
  const stopServers = () => void servers?.stop();
  signal?.addEventListener('abort', stopServers, { once: true });
  let admins: Redis[] = [];
  try {
    signal?.throwIfAborted();
    admins = await connectAll(urls);
    const version = await redisVersion(admins[0]!);
    const runId = randomBytes(4).toString('hex');
    const strategies: StrategyComparison[] = [];
    for (const entry of entries) {
      signal?.throwIfAborted();
      const namespace = `redis-locks:compare:${runId}:${entry.name}`;
      const clients = nodesFor(entry, admins);
      try {
        strategies.push(
          await compareStrategy(entry, {
            urls: nodesFor(entry, urls),
            namespace,
            settings,
            capabilities: capabilitiesOf(entry, clients, namespace),
            workerModule,
            ...(signal ? { signal } : {}),
            ...(onProgress ? { onProgress } : {}),
          }),
        );
      } finally {
        // Best effort: when Redis went away, the strategy's failure is the news, not the cleanup's.
        if (!servers && !signal?.aborted) {
          await Promise.all(
            clients.map((client) =>
              deleteKeysMatching(client, `${escapeGlob(namespace)}:*`).catch(() => undefined),
            ),
          );
        }
      }
    }
    const totalOverlaps = strategies.reduce((sum, s) => sum + s.overlaps, 0);
    return {
      schemaVersion: 1,
      startedAt: startedAt.toISOString(),
      wallTimeMs: Math.round(performance.now() - wallStart),
      redis: {
        url: redactUrl(urls[0]!),
        urls: urls.map(redactUrl),
        owned: servers !== undefined,
        version,
      },
      settings,
      strategies,
      totalOverlaps,
      ok: totalOverlaps === 0 && strategies.every((s) => s.status === 'ok'),
    };
  } finally {
    signal?.removeEventListener('abort', stopServers);
    for (const admin of admins) admin.disconnect();
    await servers?.stop();
  }
}
