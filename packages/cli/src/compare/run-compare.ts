import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Capabilities } from '@redis-locks/core';
import { startRedis } from '@redis-locks/testing';
import type { Redis } from 'ioredis';
import { connectRedis, deleteKeysMatching, redisVersion } from '../redis-connection.js';
import { redactUrl } from '../redis-url.js';
import { escapeGlob } from '../strategies/hash-tag-layout.js';
import { selectStrategies } from '../strategies/registry.js';
import type { StrategyEntry } from '../strategies/strategy-entry.js';
import type { CompareOptions } from './compare-options.js';
import { resolveCompareSettings } from './compare-options.js';
import type { CompareReport, StrategyComparison } from './compare-report.js';
import { compareStrategy } from './compare-strategy.js';

/** `compare-worker.js`, built next to this module (in `dist`, where every entry and chunk lands). */
export function defaultWorkerModule(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'compare-worker.js');
}

function capabilitiesOf(entry: StrategyEntry, client: Redis, namespace: string): Capabilities | null {
  try {
    const instance = entry.create({ clients: [client], namespace });
    void instance.close().catch(() => undefined);
    return instance.capabilities;
  } catch {
    return null;
  }
}

/**
 * Runs every selected strategy through the same contention scenario and hand-off measurement in worker
 * processes, checks all holds for overlaps, and reports. Starts (and stops) its own redis-server unless
 * `options.url` is given; with a URL, it removes the keys it created.
 */
export async function runCompare(options: CompareOptions = {}): Promise<CompareReport> {
  const settings = resolveCompareSettings(options);
  const entries = selectStrategies(options.strategies);
  const workerModule = options.workerModule ?? defaultWorkerModule();
  if (!existsSync(workerModule))
    throw new Error(`compare worker module not found at ${workerModule}; build the package`);
  const { signal, onProgress } = options;
  const startedAt = new Date();
  const wallStart = performance.now();

  signal?.throwIfAborted();
  if (!options.url) onProgress?.({ phase: 'redis', message: 'starting a private redis-server' });
  const server = options.url ? undefined : await startRedis();
  const url = options.url ?? server!.url;
  const stopServer = () => void server?.stop();
  signal?.addEventListener('abort', stopServer, { once: true });
  let admin: Redis | undefined;
  try {
    signal?.throwIfAborted();
    admin = await connectRedis(url);
    const version = await redisVersion(admin);
    const runId = randomBytes(4).toString('hex');
    const strategies: StrategyComparison[] = [];
    for (const entry of entries) {
      signal?.throwIfAborted();
      const namespace = `redis-locks:compare:${runId}:${entry.name}`;
      try {
        strategies.push(
          await compareStrategy(entry, {
            url,
            namespace,
            settings,
            capabilities: capabilitiesOf(entry, admin, namespace),
            workerModule,
            ...(signal ? { signal } : {}),
            ...(onProgress ? { onProgress } : {}),
          }),
        );
      } finally {
        // Best effort: when Redis went away, the strategy's failure is the news, not the cleanup's.
        if (!server && !signal?.aborted) {
          await deleteKeysMatching(admin, `${escapeGlob(namespace)}:*`).catch(() => undefined);
        }
      }
    }
    const totalOverlaps = strategies.reduce((sum, s) => sum + s.overlaps, 0);
    return {
      schemaVersion: 1,
      startedAt: startedAt.toISOString(),
      wallTimeMs: Math.round(performance.now() - wallStart),
      redis: { url: redactUrl(url), owned: server !== undefined, version },
      settings,
      strategies,
      totalOverlaps,
      ok: totalOverlaps === 0 && strategies.every((s) => s.status === 'ok'),
    };
  } finally {
    signal?.removeEventListener('abort', stopServer);
    admin?.disconnect();
    await server?.stop();
  }
}
