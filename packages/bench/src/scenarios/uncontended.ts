import { measureRun, type RunSample, warmUp } from '../measure.js';
import type { ScenarioResult } from '../report/scenario-result.js';
import type { ReportTable } from '../report/table.js';
import type { BenchSubject, OpenSubject } from '../subjects/bench-subject.js';
import { ioredisFloor, nodeRedisFloor } from '../subjects/floor.js';
import {
  fairSemaphoreOnIoredis,
  fairSemaphoreOnNodeRedis,
  keyedOnIoredis,
  optimisticOnIoredis,
  optimisticOnNodeRedis,
  redlockOnIoredis,
  redlockOnNodeRedis,
  semaphoreOnIoredis,
  semaphoreOnNodeRedis,
} from '../subjects/strategies.js';
import { warlockOnIoredis } from '../subjects/warlock.js';
import { cycleTables, summarize, type UncontendedPoint } from '../uncontended-report.js';
import type { ScenarioContext } from './scenario-context.js';

const SUBJECTS: readonly BenchSubject[] = [
  ioredisFloor,
  optimisticOnIoredis,
  keyedOnIoredis,
  semaphoreOnIoredis,
  fairSemaphoreOnIoredis,
  redlockOnIoredis,
  warlockOnIoredis,
  nodeRedisFloor,
  optimisticOnNodeRedis,
  semaphoreOnNodeRedis,
  fairSemaphoreOnNodeRedis,
  redlockOnNodeRedis,
];
const IN_FLIGHT = [1, 16] as const;

/** Timing of one cycle-measuring scenario. */
export interface CycleTiming {
  /** Length of one measured run, ms. */
  readonly durationMs: number;
  /** Warm-up before every run, ms. */
  readonly warmupMs: number;
}

/**
 * Measures `subjects` (opened against `urlOf(subject)`) at every `inFlight` level, repetitions interleaved (every
 * subject once, then again), with scenario 1's measureRun, and summarizes them with ratios to the floor.
 */
export async function measureCycles(
  context: ScenarioContext,
  subjects: readonly BenchSubject[],
  inFlightLevels: readonly number[],
  timing: CycleTiming,
  open: (subject: BenchSubject) => Promise<OpenSubject>,
  label: string,
): Promise<UncontendedPoint[]> {
  const opened = new Map<BenchSubject, OpenSubject>();
  try {
    for (const subject of subjects) opened.set(subject, await open(subject));
    const samples = new Map<BenchSubject, Map<number, RunSample[]>>(subjects.map((s) => [s, new Map()]));
    for (let repeat = 1; repeat <= context.repeats; repeat++) {
      for (const inFlight of inFlightLevels) {
        for (const subject of subjects) {
          const subjectOpen = opened.get(subject)!;
          await warmUp(subjectOpen, inFlight, timing.warmupMs);
          const sample = await measureRun(subjectOpen, context.admin, inFlight, timing.durationMs);
          const byLevel = samples.get(subject)!;
          byLevel.set(inFlight, [...(byLevel.get(inFlight) ?? []), sample]);
          context.log(
            `${label} ${repeat}/${context.repeats}, ${String(inFlight).padStart(2)} in flight, ${subject.name} ` +
              `(${subject.client}): ${sample.cyclesPerSecond.toFixed(0)} cycles/s, p50 ${sample.p50Us.toFixed(0)} µs, ` +
              `${sample.roundTripsPerCycle.toFixed(2)} round trips, ${sample.serverCommandsPerCycle.toFixed(2)} commands`,
          );
        }
      }
    }
    return summarize(samples, inFlightLevels);
  } finally {
    for (const subjectOpen of opened.values()) await subjectOpen.close().catch(() => undefined);
  }
}

/** Scenario 1: uncontended acquire + release, 1 and 16 in flight. */
export async function runUncontended(context: ScenarioContext, timing: CycleTiming): Promise<ScenarioResult> {
  const points = await measureCycles(
    context,
    SUBJECTS,
    IN_FLIGHT,
    timing,
    (subject) => subject.open(context.url),
    'uncontended',
  );
  const tables: ReportTable[] = cycleTables(points, (inFlight) => `${inFlight} in flight`);
  return {
    id: 'uncontended',
    title: 'Scenario 1: uncontended acquire + release',
    intro: [
      `Median of ${context.repeats} interleaved runs of ${timing.durationMs} ms each, after a ${timing.warmupMs} ms ` +
        'warm-up (min–max in parentheses). "× floor" = subject ÷ raw floor on the same client at the same ' +
        'concurrency (cycles/s: higher is better; latency, round trips, commands: lower is better). Server commands ' +
        'include those run inside Lua scripts. CPU µs / cycle: CPU time of the bench process (process.cpuUsage) and ' +
        'of redis-server (INFO cpu) divided by cycles.',
    ],
    tables,
    charts: [],
    data: { settings: { ...timing, repeats: context.repeats, inFlight: IN_FLIGHT }, points },
  };
}
