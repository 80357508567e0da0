import { OverlapChecker } from '@redis-locks/testing';
import type { ContendedSubject } from '../contended/contended-subject.js';
import { jainFairness } from '../jain.js';
import { readCommandStats, resetCommandStats, totalCommands } from '../server-commands.js';
import { percentile } from '../statistics.js';
import type { ContendReply } from '../worker/protocol.js';
import type { ScenarioContext } from './scenario-context.js';

/** Parameters of one contended run. */
export interface ContendSettings {
  /** Contenders in total, spread over the workers as async loops. */
  readonly contenders: number;
  /** Hold time, ms (0 = one event-loop turn). */
  readonly holdMs: number;
  /** Think time after each release: uniform in [0, thinkMaxMs] ms. */
  readonly thinkMaxMs: number;
  /** Length of the measured window, ms. */
  readonly durationMs: number;
  /** Lock ttl, ms. */
  readonly ttlMs: number;
  /** Longest single acquire, ms. */
  readonly waitTimeoutMs: number;
}

/** What one contended run measured. */
export interface ContendSample {
  readonly acquisitionsPerSecond: number;
  readonly fairness: number;
  readonly minPerContender: number;
  readonly maxPerContender: number;
  readonly p99WaitMs: number;
  readonly maxWaitMs: number;
  /** Server commands (including inside scripts, pub/sub, BLPOP) per acquisition, drain included (`acquisitionsTotal`). */
  readonly commandsPerAcquisition: number;
  /** Acquire attempts sent per acquisition (NaN when not observable). */
  readonly attemptsPerAcquisition: number;
  readonly overlaps: number;
  /** Contenders still waiting (in a peer's acquire, which cannot be cancelled) 1 s after the window ended. */
  readonly stuckAfterWindow: number;
  readonly timeouts: number;
  readonly lostReleases: number;
  readonly errors: number;
  readonly lastError?: string;
  /** Every attempt instant of every process, sorted (empty when not observable). */
  readonly attemptInstants: bigint[];
}

/**
 * Opens `subject` in every worker, runs `run`, and closes it again (also when `run` fails), so several contended
 * runs share one open.
 */
export async function withSubjectOpen<T>(
  context: ScenarioContext,
  subject: ContendedSubject,
  ttlMs: number,
  run: () => Promise<T>,
  urls: readonly string[] = [context.url],
): Promise<T> {
  await Promise.all(
    context.workers.map((worker) => worker.request({ op: 'open', subject: subject.name, urls, ttlMs })),
  );
  try {
    return await run();
  } finally {
    await Promise.all(
      context.workers.map((worker) => worker.request({ op: 'close' }).catch(() => undefined)),
    );
  }
}

/**
 * Runs the contenders of a subject opened with {@link withSubjectOpen} as async loops spread over as many workers
 * as useful (at most one per contender), from one shared start instant, and checks every hold of every process
 * with the OverlapChecker. Server commands come from `INFO commandstats`, reset right before the start.
 */
export async function contendOnce(
  context: ScenarioContext,
  settings: ContendSettings,
  resource: string,
): Promise<ContendSample> {
  const workers = context.workers.slice(0, Math.min(context.workers.length, settings.contenders));
  const loopsOf = (index: number) =>
    Math.floor(settings.contenders / workers.length) + (index < settings.contenders % workers.length ? 1 : 0);
  await resetCommandStats(context.admin);
  const startAt = process.hrtime.bigint() + 50_000_000n;
  const endAt = startAt + BigInt(settings.durationMs) * 1_000_000n;
  const replies = await Promise.all(
    workers.map((worker, index) =>
      worker.request<ContendReply>(
        {
          op: 'contend',
          resource,
          loops: loopsOf(index),
          ownerPrefix: `w${index}`,
          startAt,
          endAt,
          holdMs: settings.holdMs,
          thinkMaxMs: settings.thinkMaxMs,
          waitTimeoutMs: settings.waitTimeoutMs,
        },
        settings.durationMs + settings.waitTimeoutMs + 30_000,
      ),
    ),
  );
  const commands = totalCommands(await readCommandStats(context.admin));
  const checker = new OverlapChecker();
  for (const reply of replies) for (const record of reply.records) checker.add(record);
  const perContender = replies.flatMap((reply) => reply.acquisitionsPerLoop);
  const acquisitions = perContender.reduce((sum, n) => sum + n, 0);
  const total = replies.reduce((sum, reply) => sum + reply.acquisitionsTotal, 0);
  const waitsMs = replies.flatMap((reply) => reply.waitsUs.map((us) => us / 1000));
  const observable = replies.every((reply) => reply.attemptsObservable);
  const attemptInstants = replies
    .flatMap((reply) => reply.attempts)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lastError = replies.map((reply) => reply.lastError).find((e) => e !== undefined);
  return {
    acquisitionsPerSecond: (acquisitions * 1000) / settings.durationMs,
    fairness: jainFairness(perContender),
    minPerContender: Math.min(...perContender),
    maxPerContender: Math.max(...perContender),
    p99WaitMs: percentile(waitsMs, 0.99),
    maxWaitMs: waitsMs.length === 0 ? Number.NaN : Math.max(...waitsMs),
    commandsPerAcquisition: commands / total,
    attemptsPerAcquisition: observable ? attemptInstants.length / total : Number.NaN,
    overlaps: checker.overlaps().length,
    stuckAfterWindow: replies.reduce((sum, reply) => sum + reply.stuckAfterWindow, 0),
    timeouts: replies.reduce((sum, reply) => sum + reply.timeouts, 0),
    lostReleases: replies.reduce((sum, reply) => sum + reply.lostReleases, 0),
    errors: replies.reduce((sum, reply) => sum + reply.errors, 0),
    ...(lastError === undefined ? {} : { lastError }),
    attemptInstants: observable ? attemptInstants : [],
  };
}
