import { type Capabilities, DEFAULT_STRATEGY_DEFAULTS } from '@redis-locks/core';
import { type HoldRecord, OverlapChecker } from '@redis-locks/testing';
import type { StrategyEntry } from '../strategies/strategy-entry.js';
import type { CompareProgress } from './compare-options.js';
import type {
  CompareSettings,
  LatencySummary,
  OverlapExample,
  StrategyComparison,
} from './compare-report.js';
import { measureHandoff } from './handoff.js';
import { jainFairness, percentile, round } from './statistics.js';
import { WorkerProcess } from './worker-process.js';
import type { ClosedResult, ContendResult } from './worker-protocol.js';

const NS_PER_MS = 1_000_000n;
/** Longest wait of one acquire in a compare run. */
const WAIT_TIMEOUT_MS = 10_000;
/** How long workers get to connect and build their strategy. */
const INIT_TIMEOUT_MS = 15_000;
/** Lead time so every process starts contending at the same instant. */
const START_LEAD_MS = 150n;

/** What {@link compareStrategy} needs besides the strategy. */
export interface StrategyRunContext {
  /** Redis URLs the workers connect to: one, or one per independent node for quorum strategies. */
  readonly urls: readonly string[];
  /** Key prefix of this strategy's run. */
  readonly namespace: string;
  /** Run parameters. */
  readonly settings: CompareSettings;
  /** Capabilities read from an instance built by the caller. */
  readonly capabilities: Capabilities | null;
  /** Path of the worker module. */
  readonly workerModule: string;
  /** Kills the workers when aborted. */
  readonly signal?: AbortSignal;
  /** Progress callback. */
  readonly onProgress?: (progress: CompareProgress) => void;
}

function summarize(samplesMs: readonly number[]): LatencySummary {
  return {
    samples: samplesMs.length,
    p50Ms: round(percentile(samplesMs, 0.5), 3),
    p99Ms: round(percentile(samplesMs, 0.99), 3),
    maxMs: round(percentile(samplesMs, 1), 3),
  };
}

function overlapExamples(
  checker: OverlapChecker,
  origin: bigint,
): { count: number; examples: OverlapExample[] } {
  const found = checker.overlaps();
  const relative = (t: bigint): number => Number(t - origin) / 1e6;
  const examples = found.slice(0, 5).map(({ resource, a, b }) => ({
    resource,
    a: { owner: a.owner, startMs: relative(a.start), endMs: relative(a.end) },
    b: { owner: b.owner, startMs: relative(b.start), endMs: relative(b.end) },
  }));
  return { count: found.length, examples };
}

/** Notified waiters wake at once; polling ones at a point of their retry cycle, which the pause randomizes. */
function handoffPauseMaxMs(entry: StrategyEntry, capabilities: Capabilities | null): number {
  if (capabilities?.wakeup === 'pubsub') return 10;
  const retry = entry.waitRetry ?? DEFAULT_STRATEGY_DEFAULTS.retry;
  return retry.delay + (retry.jitter ?? 0);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one strategy through the contention phase (processes × loops on a few hot resources) and the hand-off
 * measurement, in worker processes, then checks every recorded hold with the overlap checker.
 */
export async function compareStrategy(
  entry: StrategyEntry,
  context: StrategyRunContext,
): Promise<StrategyComparison> {
  const { settings, signal } = context;
  const progress = (phase: CompareProgress['phase'], message: string) =>
    context.onProgress?.({ strategy: entry.name, phase, message });
  const workers = Array.from(
    { length: settings.processes },
    (_, index) => new WorkerProcess(context.workerModule, index),
  );
  const killAll = () => void Promise.all(workers.map((worker) => worker.kill()));
  signal?.addEventListener('abort', killAll, { once: true });

  const records: HoldRecord[] = [];
  const contended: ContendResult[] = [];
  let handoffMs: number[] = [];
  let failure: string | undefined;
  const origin = process.hrtime.bigint();
  let elapsedMs = 0;
  try {
    progress('workers', `${entry.name}: starting ${settings.processes} worker processes`);
    await Promise.all(
      workers.map((worker) =>
        worker.request(
          {
            op: 'init',
            strategy: entry.name,
            urls: context.urls,
            namespace: context.namespace,
            workerIndex: worker.index,
          },
          { timeoutMs: INIT_TIMEOUT_MS },
        ),
      ),
    );

    const contenders = settings.processes * settings.concurrency;
    progress(
      'contention',
      `${entry.name}: ${contenders} contenders (${settings.processes} processes × ${settings.concurrency}) ` +
        `on ${settings.resources} resources for ${(settings.durationMs / 1000).toFixed(1)} s`,
    );
    const resources = Array.from({ length: settings.resources }, (_, index) => `hot-${index}`);
    const startAt = process.hrtime.bigint() + START_LEAD_MS * NS_PER_MS;
    const endAt = startAt + BigInt(Math.round(settings.durationMs)) * NS_PER_MS;
    const results = await Promise.all(
      workers.map((worker) =>
        worker.request<ContendResult>(
          {
            op: 'contend',
            resources,
            loops: settings.concurrency,
            startAt,
            endAt,
            holdMaxMs: settings.holdMaxMs,
            ttl: settings.ttlMs,
            waitTimeout: WAIT_TIMEOUT_MS,
          },
          { timeoutMs: Number(START_LEAD_MS) + settings.durationMs + WAIT_TIMEOUT_MS + 10_000 },
        ),
      ),
    );
    elapsedMs = Number(process.hrtime.bigint() - startAt) / 1e6;
    contended.push(...results);
    for (const result of results) records.push(...result.records);

    progress('handoff', `${entry.name}: ${settings.handoffRounds} hand-offs between two processes`);
    handoffMs = await measureHandoff(workers[0]!, workers[1]!, {
      resource: 'handoff',
      rounds: settings.handoffRounds,
      ttlMs: settings.ttlMs,
      waitTimeoutMs: WAIT_TIMEOUT_MS,
      pauseMaxMs: handoffPauseMaxMs(entry, context.capabilities),
      ...(signal ? { signal } : {}),
    });
    const closed = await Promise.all(
      workers.map((worker) => worker.request<ClosedResult>({ op: 'close' }, { timeoutMs: 10_000 })),
    );
    for (const result of closed) records.push(...result.records);
  } catch (error) {
    failure = errorMessage(error);
  } finally {
    signal?.removeEventListener('abort', killAll);
    await Promise.all(
      workers.map(async (worker) => {
        const timer = setTimeout(() => void worker.kill(), 5000);
        await worker.disconnect();
        clearTimeout(timer);
      }),
    );
  }
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');

  const checker = new OverlapChecker();
  for (const record of records) checker.add(record);
  const overlaps = overlapExamples(checker, origin);
  const perContender = contended.flatMap((result) => result.acquisitionsPerLoop);
  const perProcess = contended.map((result) => result.acquisitionsPerLoop.reduce((sum, n) => sum + n, 0));
  const acquisitions = perProcess.reduce((sum, n) => sum + n, 0);
  const lastError = contended.map((result) => result.lastError).find((message) => message !== undefined);
  progress('done', `${entry.name}: ${acquisitions} acquisitions, ${overlaps.count} overlaps`);
  return {
    name: entry.name,
    guarantee: entry.guarantee,
    nodes: context.urls.length,
    capabilities: context.capabilities,
    status: failure === undefined ? 'ok' : 'failed',
    ...(failure === undefined ? {} : { error: failure }),
    acquisitions,
    elapsedMs: round(elapsedMs, 1) ?? 0,
    acquisitionsPerSecond: elapsedMs > 0 ? (round((acquisitions * 1000) / elapsedMs, 1) ?? 0) : 0,
    wait: summarize(contended.flatMap((result) => result.waitsMs)),
    handoff: { ...summarize(handoffMs), samplesMs: handoffMs.map((ms) => round(ms, 3) ?? 0) },
    fairness: {
      contenders: round(jainFairness(perContender), 3),
      processes: round(jainFairness(perProcess), 3),
      acquisitionsPerContender: perContender,
    },
    timeouts: contended.reduce((sum, result) => sum + result.timeouts, 0),
    lostReleases: contended.reduce((sum, result) => sum + result.lostReleases, 0),
    errors: contended.reduce((sum, result) => sum + result.errors, 0),
    ...(lastError === undefined ? {} : { lastError }),
    overlaps: overlaps.count,
    overlapExamples: overlaps.examples,
  };
}
