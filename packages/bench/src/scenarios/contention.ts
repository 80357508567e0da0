import type { ContendedSubject } from '../contended/contended-subject.js';
import { fixed, ms, msRange, ratio, withRange } from '../report/format.js';
import type { LineChart } from '../report/line-chart.js';
import type { ScenarioResult } from '../report/scenario-result.js';
import type { ReportTable } from '../report/table.js';
import { type Spread, spread } from '../statistics.js';
import { type ContendSample, contendOnce, withSubjectOpen } from './contend-run.js';
import type { ScenarioContext } from './scenario-context.js';

const CONTENDERS = [2, 8, 32] as const;
const HOLDS_MS = [0, 1] as const;
const THINK_MAX_MS = 2;
const TTL_MS = 10_000;
const WAIT_TIMEOUT_MS = 10_000;

/** One (subject, K, hold) point over the repetitions. */
export interface ContentionPoint {
  readonly subject: string;
  readonly kind: ContendedSubject['kind'];
  readonly contenders: number;
  readonly holdMs: number;
  readonly acquisitionsPerSecond: Spread;
  readonly fairness: Spread;
  readonly minPerContender: Spread;
  readonly maxPerContender: Spread;
  readonly p99WaitMs: Spread;
  readonly maxWaitMs: Spread;
  readonly commandsPerAcquisition: Spread;
  /** Our strategies: client round trips per acquisition — acquire attempts plus the release (NaN for others). */
  readonly roundTripsPerAcquisition: Spread;
  /** Sum over the repetitions: must be 0. */
  readonly overlaps: number;
  /** Sum over the repetitions of contenders still waiting 1 s after the window (lost wake-ups). */
  readonly stuckAfterWindow: number;
  readonly timeouts: number;
  readonly lostReleases: number;
  readonly errors: number;
  readonly lastError?: string;
  readonly ratioToFloor: {
    acquisitionsPerSecond: number;
    commandsPerAcquisition: number;
    p99WaitMs: number;
  } | null;
}

function summarizePoint(
  subject: ContendedSubject,
  contenders: number,
  holdMs: number,
  samples: readonly ContendSample[],
): Omit<ContentionPoint, 'ratioToFloor'> {
  const of = (pick: (s: ContendSample) => number) => spread(samples.map(pick));
  const sum = (pick: (s: ContendSample) => number) => samples.reduce((total, s) => total + pick(s), 0);
  const lastError = samples.map((s) => s.lastError).find((e) => e !== undefined);
  return {
    subject: subject.name,
    kind: subject.kind,
    contenders,
    holdMs,
    acquisitionsPerSecond: of((s) => s.acquisitionsPerSecond),
    fairness: of((s) => s.fairness),
    minPerContender: of((s) => s.minPerContender),
    maxPerContender: of((s) => s.maxPerContender),
    p99WaitMs: of((s) => s.p99WaitMs),
    maxWaitMs: of((s) => s.maxWaitMs),
    commandsPerAcquisition: of((s) => s.commandsPerAcquisition),
    roundTripsPerAcquisition: of((s) => s.attemptsPerAcquisition + 1),
    overlaps: sum((s) => s.overlaps),
    stuckAfterWindow: sum((s) => s.stuckAfterWindow),
    timeouts: sum((s) => s.timeouts),
    lostReleases: sum((s) => s.lostReleases),
    errors: sum((s) => s.errors),
    ...(lastError === undefined ? {} : { lastError }),
  };
}

function table(points: readonly ContentionPoint[], contenders: number, holdMs: number): ReportTable {
  return {
    title: `K = ${contenders} contenders, hold ${holdMs === 0 ? '0 ms (one event-loop turn)' : `${holdMs} ms`}`,
    headers: [
      'subject',
      'acq/s',
      '× floor',
      'Jain fairness',
      'min / max per contender',
      'p99 wait ms',
      '× floor',
      'max wait ms',
      'server cmds / acq',
      '× floor',
      'round trips / acq',
      'overlaps',
      'stuck 1 s after window',
      'timeouts / errors',
    ],
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    rows: points
      .filter((p) => p.contenders === contenders && p.holdMs === holdMs)
      .map((p) => [
        p.subject,
        withRange(p.acquisitionsPerSecond),
        ratio(p.ratioToFloor?.acquisitionsPerSecond),
        withRange(p.fairness, 2),
        `${fixed(p.minPerContender.median)} / ${fixed(p.maxPerContender.median)}`,
        msRange(p.p99WaitMs),
        ratio(p.ratioToFloor?.p99WaitMs),
        ms(p.maxWaitMs.max),
        fixed(p.commandsPerAcquisition.median, 1),
        ratio(p.ratioToFloor?.commandsPerAcquisition),
        Number.isNaN(p.roundTripsPerAcquisition.median) ? '–' : fixed(p.roundTripsPerAcquisition.median, 2),
        String(p.overlaps),
        String(p.stuckAfterWindow),
        p.timeouts + p.errors + p.lostReleases === 0
          ? '0'
          : `${p.timeouts} / ${p.errors + p.lostReleases}${p.lastError ? `: ${p.lastError.slice(0, 80)}` : ''}`,
      ]),
  };
}

function chart(
  points: readonly ContentionPoint[],
  holdMs: number,
  title: string,
  yLabel: string,
  pick: (p: ContentionPoint) => number,
  logY: boolean,
): LineChart {
  const subjects = [...new Set(points.map((p) => p.subject))];
  return {
    title,
    xLabel: 'contenders K (log scale)',
    yLabel,
    logX: true,
    logY,
    dots: true,
    series: subjects.map((name) => {
      const mine = points.filter((p) => p.subject === name && p.holdMs === holdMs);
      return {
        name,
        dashed: mine[0]?.kind === 'floor',
        points: mine.map((p) => [p.contenders, pick(p)] as const),
      };
    }),
  };
}

/** Scenario 3: K contenders on one key, for every contended subject. */
export async function runContention(context: ScenarioContext): Promise<ScenarioResult> {
  const durationMs = context.quick ? 300 : 400;
  const samples = new Map<string, ContendSample[]>();
  const keyOf = (subject: ContendedSubject, k: number, hold: number) => `${subject.name}|${k}|${hold}`;
  // Each subject is opened once per repetition and runs every (K, hold) point before the next subject.
  for (let repeat = 1; repeat <= context.repeats; repeat++) {
    for (const subject of context.contendedSubjects) {
      await withSubjectOpen(context, subject, TTL_MS, async () => {
        for (const contenders of CONTENDERS) {
          for (const holdMs of HOLDS_MS) {
            const settings = {
              contenders,
              holdMs,
              thinkMaxMs: THINK_MAX_MS,
              durationMs,
              ttlMs: TTL_MS,
              waitTimeoutMs: WAIT_TIMEOUT_MS,
            };
            const started = performance.now();
            const sample = await contendOnce(
              context,
              settings,
              `contention-${contenders}-${holdMs}-${repeat}`,
            );
            const key = keyOf(subject, contenders, holdMs);
            samples.set(key, [...(samples.get(key) ?? []), sample]);
            context.log(
              `contention ${repeat}/${context.repeats} K=${contenders} hold ${holdMs} ms ${subject.name}: ` +
                `${sample.acquisitionsPerSecond.toFixed(0)} acq/s, Jain ${sample.fairness.toFixed(2)}, ` +
                `p99 wait ${ms(sample.p99WaitMs)} ms, ${sample.commandsPerAcquisition.toFixed(1)} cmds/acq, ` +
                `overlaps ${sample.overlaps}${sample.timeouts ? `, timeouts ${sample.timeouts}` : ''}` +
                `${sample.stuckAfterWindow ? `, ${sample.stuckAfterWindow} stuck after the window` : ''} ` +
                `(${(performance.now() - started).toFixed(0)} ms)`,
            );
          }
        }
      });
    }
  }
  const points: ContentionPoint[] = [];
  for (const contenders of CONTENDERS) {
    for (const holdMs of HOLDS_MS) {
      const level = context.contendedSubjects.map((subject) =>
        summarizePoint(subject, contenders, holdMs, samples.get(keyOf(subject, contenders, holdMs)) ?? []),
      );
      const floor = level.find((p) => p.kind === 'floor');
      for (const p of level) {
        points.push({
          ...p,
          ratioToFloor: floor
            ? {
                acquisitionsPerSecond: p.acquisitionsPerSecond.median / floor.acquisitionsPerSecond.median,
                commandsPerAcquisition: p.commandsPerAcquisition.median / floor.commandsPerAcquisition.median,
                p99WaitMs: p.p99WaitMs.median / floor.p99WaitMs.median,
              }
            : null,
        });
      }
    }
  }
  const totalOverlaps = points.reduce((sum, p) => sum + p.overlaps, 0);
  return {
    id: 'contention',
    title: 'Scenario 3: K contenders on one key',
    intro: [
      `K contenders (async acquire → hold → release → think loops, spread over ${Math.min(4, context.workers.length)} ` +
        `worker processes) compete for one key for ${durationMs} ms per run; think time uniform 0–${THINK_MAX_MS} ms; ` +
        `${context.repeats} interleaved repetitions, median (min–max). Library defaults for retry and fallback ` +
        `(peers: see the subject list in README.md). acq/s counts holds that started inside the window; Jain fairness ` +
        `is over the per-contender acquisition counts (1 = equal shares, 1/K = one contender got all); wait = acquire ` +
        `called → held. Server commands per acquisition come from INFO commandstats (scripts' inner commands, pub/sub, ` +
        `BLPOP included) over the run and its drain. Round trips per acquisition (our strategies, stamped through the ` +
        `adapter): acquire attempts plus the release; SUBSCRIBE is left out, as a channel stays subscribed across ` +
        `waits. Every hold of every process goes through the OverlapChecker of ` +
        `@redis-locks/testing: overlaps must be 0 (total in this run: ${totalOverlaps}).`,
    ],
    tables: CONTENDERS.flatMap((k) => HOLDS_MS.map((hold) => table(points, k, hold))),
    charts: [
      chart(
        points,
        1,
        'Throughput vs K, hold 1 ms',
        'acquisitions/s (log scale)',
        (p) => p.acquisitionsPerSecond.median,
        true,
      ),
      chart(
        points,
        0,
        'Throughput vs K, hold 0 ms',
        'acquisitions/s (log scale)',
        (p) => p.acquisitionsPerSecond.median,
        true,
      ),
      chart(
        points,
        1,
        'Jain fairness vs K, hold 1 ms',
        'Jain fairness index',
        (p) => p.fairness.median,
        false,
      ),
      chart(
        points,
        0,
        'Jain fairness vs K, hold 0 ms',
        'Jain fairness index',
        (p) => p.fairness.median,
        false,
      ),
    ],
    data: {
      settings: {
        contenders: CONTENDERS,
        holdsMs: HOLDS_MS,
        thinkMaxMs: THINK_MAX_MS,
        durationMs,
        ttlMs: TTL_MS,
      },
      totalOverlaps,
      points,
    },
  };
}
