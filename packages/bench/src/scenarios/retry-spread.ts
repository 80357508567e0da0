import type { ContendedSubject } from '../contended/contended-subject.js';
import { floorGrant } from '../contended/floor-grant.js';
import { RETRY_SUBJECTS } from '../contended/retry-subjects.js';
import { fixed, msRange, ratio, withRange } from '../report/format.js';
import type { ScenarioResult } from '../report/scenario-result.js';
import { type Spread, spread } from '../statistics.js';
import { type AttemptSpread, attemptSpread } from './attempt-spread.js';
import { type ContendSample, contendOnce, withSubjectOpen } from './contend-run.js';
import type { ScenarioContext } from './scenario-context.js';

const CONTENDERS = 16;
const HOLD_MS = 1;
const THINK_MAX_MS = 2;

/** One retry policy (or the floor) over the repetitions. */
export interface RetrySpreadPoint {
  readonly subject: string;
  readonly kind: ContendedSubject['kind'];
  readonly acquisitionsPerSecond: Spread;
  /** Attempts per acquisition minus 1 (NaN for the floor, which does not retry on a timer). */
  readonly wastedAttemptsPerAcquisition: Spread;
  readonly commandsPerAcquisition: Spread;
  readonly p99WaitMs: Spread;
  readonly fairness: Spread;
  /** Index of dispersion of attempts per 1 ms bin (1 = independent, > 1 = bursts). */
  readonly dispersion: Spread;
  /** Coefficient of variation of the gaps between consecutive attempts. */
  readonly gapCv: Spread;
  /** Gaps between consecutive attempts at evenly spaced quantiles, from the median-dispersion repetition. */
  readonly gapQuantilesMs: number[];
  readonly overlaps: number;
  readonly ratioToFloor: { acquisitionsPerSecond: number; commandsPerAcquisition: number } | null;
}

/** Scenario 6: optimistic retry spread — fixed vs exponential backoff, with and without jitter. */
export async function runRetrySpread(context: ScenarioContext): Promise<ScenarioResult> {
  const durationMs = context.quick ? 400 : 800;
  const subjects: readonly ContendedSubject[] = [floorGrant, ...RETRY_SUBJECTS];
  const runs = new Map<ContendedSubject, { sample: ContendSample; spread: AttemptSpread }[]>(
    subjects.map((s) => [s, []]),
  );
  for (let repeat = 1; repeat <= context.repeats; repeat++) {
    for (const subject of subjects) {
      const settings = {
        contenders: CONTENDERS,
        holdMs: HOLD_MS,
        thinkMaxMs: THINK_MAX_MS,
        durationMs,
        ttlMs: 10_000,
        waitTimeoutMs: 10_000,
      };
      const sample = await withSubjectOpen(context, subject, settings.ttlMs, () =>
        contendOnce(context, settings, `retry-${repeat}`),
      );
      const measured = attemptSpread(sample.attemptInstants);
      runs.get(subject)!.push({ sample, spread: measured });
      context.log(
        `retry ${repeat}/${context.repeats} ${subject.name}: ${sample.acquisitionsPerSecond.toFixed(0)} acq/s, ` +
          `${(sample.attemptsPerAcquisition - 1).toFixed(2)} wasted attempts/acq, dispersion ` +
          `${measured.dispersion.toFixed(2)}, gap CV ${measured.gapCv.toFixed(2)}, overlaps ${sample.overlaps}`,
      );
    }
  }
  const summarized = subjects.map((subject) => {
    const mine = runs.get(subject)!;
    const of = (pick: (r: { sample: ContendSample; spread: AttemptSpread }) => number) =>
      spread(mine.map(pick));
    const byDispersion = [...mine].sort((a, b) => a.spread.dispersion - b.spread.dispersion);
    const medianRun = byDispersion[Math.floor((byDispersion.length - 1) / 2)];
    return {
      subject: subject.name,
      kind: subject.kind,
      acquisitionsPerSecond: of((r) => r.sample.acquisitionsPerSecond),
      wastedAttemptsPerAcquisition: of((r) => r.sample.attemptsPerAcquisition - 1),
      commandsPerAcquisition: of((r) => r.sample.commandsPerAcquisition),
      p99WaitMs: of((r) => r.sample.p99WaitMs),
      fairness: of((r) => r.sample.fairness),
      dispersion: of((r) => r.spread.dispersion),
      gapCv: of((r) => r.spread.gapCv),
      gapQuantilesMs: medianRun?.spread.gapQuantilesMs ?? [],
      overlaps: mine.reduce((sum, r) => sum + r.sample.overlaps, 0),
    };
  });
  const floor = summarized.find((p) => p.kind === 'floor');
  const points: RetrySpreadPoint[] = summarized.map((p) => ({
    ...p,
    ratioToFloor: floor
      ? {
          acquisitionsPerSecond: p.acquisitionsPerSecond.median / floor.acquisitionsPerSecond.median,
          commandsPerAcquisition: p.commandsPerAcquisition.median / floor.commandsPerAcquisition.median,
        }
      : null,
  }));
  return {
    id: 'retry',
    title: 'Scenario 6: optimistic retry spread',
    intro: [
      `${CONTENDERS} contenders on one key, hold ${HOLD_MS} ms, think 0–${THINK_MAX_MS} ms, ${durationMs} ms per run, ` +
        `${context.repeats} interleaved repetitions, median (min–max). @redis-locks/optimistic with retry policies ` +
        'that share a 10 ms base and differ only in spacing, plus its default; the direct-grant floor as reference (it ' +
        'never retries on a timer). Every acquire attempt is stamped in the worker (through the adapter); wasted attempts = ' +
        'attempts per acquisition − 1. Decorrelation: "dispersion" = variance ÷ mean of the number of attempts (all ' +
        'contenders) per 1 ms bin, "gap CV" = coefficient of variation of the gaps between consecutive attempts; both ' +
        '≈ 1 for independent retries, above 1 when attempts come in bursts (lock-step), below 1 when evenly spread. ' +
        'The chart shows the distribution of those gaps: lock-step retries pile up near 0.',
    ],
    tables: [
      {
        title: `Retry policies, K = ${CONTENDERS}`,
        headers: [
          'subject',
          'acq/s',
          '× floor',
          'wasted attempts / acq',
          'server cmds / acq',
          '× floor',
          'p99 wait ms',
          'Jain',
          'dispersion',
          'gap CV',
          'overlaps',
        ],
        align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        rows: points.map((p) => [
          p.subject,
          withRange(p.acquisitionsPerSecond),
          ratio(p.ratioToFloor?.acquisitionsPerSecond),
          p.kind === 'floor' ? '–' : withRange(p.wastedAttemptsPerAcquisition, 2),
          fixed(p.commandsPerAcquisition.median, 1),
          ratio(p.ratioToFloor?.commandsPerAcquisition),
          msRange(p.p99WaitMs),
          fixed(p.fairness.median, 2),
          p.kind === 'floor' ? '–' : fixed(p.dispersion.median, 2),
          p.kind === 'floor' ? '–' : fixed(p.gapCv.median, 2),
          String(p.overlaps),
        ]),
      },
    ],
    charts: [
      {
        title: 'Gaps between consecutive attempts of all contenders (ECDF, median-dispersion run)',
        xLabel: 'gap between consecutive attempts, ms (log scale)',
        yLabel: 'fraction of gaps ≤ x',
        logX: true,
        series: points
          .filter((p) => p.kind !== 'floor')
          .map((p) => ({
            name: p.subject,
            points: p.gapQuantilesMs.map(
              (gap, k) => [Math.max(gap, 0.001), (k + 0.5) / p.gapQuantilesMs.length] as const,
            ),
          })),
      },
    ],
    data: {
      settings: { contenders: CONTENDERS, holdMs: HOLD_MS, thinkMaxMs: THINK_MAX_MS, durationMs },
      points,
    },
  };
}
