import type { RunSample } from './measure.js';
import { fixed, ratio, withRange } from './report/format.js';
import type { ReportTable } from './report/table.js';
import { type Spread, spread } from './statistics.js';
import type { BenchSubject, ClientKind } from './subjects/bench-subject.js';

/** The repeated measurements of one subject at one concurrency, summarized. */
export interface UncontendedPoint {
  /** Subject name. */
  readonly subject: string;
  /** Client it ran on. */
  readonly client: ClientKind;
  /** True for the raw floor. */
  readonly isFloor: boolean;
  /** Cycles in flight at once. */
  readonly inFlight: number;
  /** Cycles per second over the repetitions. */
  readonly cyclesPerSecond: Spread;
  /** Median cycle latency (µs) over the repetitions. */
  readonly p50Us: Spread;
  /** 99th percentile cycle latency (µs) over the repetitions. */
  readonly p99Us: Spread;
  /** Median acquire latency (µs) over the repetitions; NaN unless the subject times phases. */
  readonly acquireP50Us: Spread;
  /** Median release latency (µs) over the repetitions; NaN unless the subject times phases. */
  readonly releaseP50Us: Spread;
  /** Client round trips per cycle (median of the repetitions). */
  readonly roundTripsPerCycle: number;
  /** Server commands per cycle, including inside scripts (median of the repetitions). */
  readonly serverCommandsPerCycle: number;
  /** CPU µs of the client process per cycle (median of the repetitions). */
  readonly clientCpuUsPerCycle: number;
  /** CPU µs of redis-server per cycle (median of the repetitions). */
  readonly serverCpuUsPerCycle: number;
  /** Server commands per cycle by name (of the median-throughput repetition). */
  readonly commandsPerCycle: Record<string, number>;
  /** Ratios to the floor on the same client at the same concurrency (subject ÷ floor). */
  readonly ratioToFloor: {
    readonly cyclesPerSecond: number;
    readonly p50Us: number;
    readonly p99Us: number;
    readonly roundTripsPerCycle: number;
    readonly serverCommandsPerCycle: number;
  } | null;
  /** Every repetition as measured. */
  readonly runs: RunSample[];
}

/** Summarizes the runs of every (subject, concurrency) and computes ratios to the floor of the same client. */
export function summarize(
  samples: ReadonlyMap<BenchSubject, ReadonlyMap<number, RunSample[]>>,
  inFlightLevels: readonly number[],
): UncontendedPoint[] {
  const points: UncontendedPoint[] = [];
  for (const inFlight of inFlightLevels) {
    const level: Omit<UncontendedPoint, 'ratioToFloor'>[] = [];
    for (const [subject, byLevel] of samples) {
      const runs = byLevel.get(inFlight) ?? [];
      if (runs.length === 0) continue;
      const byThroughput = [...runs].sort((a, b) => a.cyclesPerSecond - b.cyclesPerSecond);
      const medianRun = byThroughput[Math.floor((byThroughput.length - 1) / 2)]!;
      level.push({
        subject: subject.name,
        client: subject.client,
        isFloor: subject.isFloor === true,
        inFlight,
        cyclesPerSecond: spread(runs.map((r) => r.cyclesPerSecond)),
        p50Us: spread(runs.map((r) => r.p50Us)),
        p99Us: spread(runs.map((r) => r.p99Us)),
        acquireP50Us: spread(runs.map((r) => r.acquireP50Us)),
        releaseP50Us: spread(runs.map((r) => r.releaseP50Us)),
        roundTripsPerCycle: spread(runs.map((r) => r.roundTripsPerCycle)).median,
        serverCommandsPerCycle: spread(runs.map((r) => r.serverCommandsPerCycle)).median,
        clientCpuUsPerCycle: spread(runs.map((r) => r.clientCpuUsPerCycle)).median,
        serverCpuUsPerCycle: spread(runs.map((r) => r.serverCpuUsPerCycle)).median,
        commandsPerCycle: medianRun.commandsPerCycle,
        runs,
      });
    }
    for (const point of level) {
      const floor = level.find((candidate) => candidate.isFloor && candidate.client === point.client);
      points.push({
        ...point,
        ratioToFloor: floor
          ? {
              cyclesPerSecond: point.cyclesPerSecond.median / floor.cyclesPerSecond.median,
              p50Us: point.p50Us.median / floor.p50Us.median,
              p99Us: point.p99Us.median / floor.p99Us.median,
              roundTripsPerCycle: point.roundTripsPerCycle / floor.roundTripsPerCycle,
              serverCommandsPerCycle: point.serverCommandsPerCycle / floor.serverCommandsPerCycle,
            }
          : null,
      });
    }
  }
  return points;
}

function breakdown(commands: Record<string, number>): string {
  return Object.entries(commands)
    .filter(([, perCycle]) => perCycle >= 0.005)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, perCycle]) => `${name} ${Number.isInteger(perCycle) ? perCycle : perCycle.toFixed(2)}`)
    .join(', ');
}

/**
 * One table per concurrency: absolute figures (median, min–max) and ratios to the floor. Used by scenario 1 and by
 * every scenario that measures acquire+release cycles with {@link summarize} (fan-out, WAIT cost).
 */
export function cycleTables(
  points: readonly UncontendedPoint[],
  label: (inFlight: number) => string,
): ReportTable[] {
  const levels = [...new Set(points.map((p) => p.inFlight))];
  return levels.map((inFlight) => ({
    title: label(inFlight),
    headers: [
      'subject',
      'client',
      'cycles/s',
      '× floor',
      'p50 µs',
      '× floor',
      'p99 µs',
      '× floor',
      'round trips / cycle',
      'server cmds / cycle',
      'client CPU µs / cycle',
      'server CPU µs / cycle',
      'server commands per cycle',
    ],
    align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    rows: points
      .filter((p) => p.inFlight === inFlight)
      .map((p) => [
        p.subject,
        p.client,
        withRange(p.cyclesPerSecond),
        ratio(p.ratioToFloor?.cyclesPerSecond),
        withRange(p.p50Us),
        ratio(p.ratioToFloor?.p50Us),
        withRange(p.p99Us),
        ratio(p.ratioToFloor?.p99Us),
        fixed(p.roundTripsPerCycle, 2),
        fixed(p.serverCommandsPerCycle, 2),
        fixed(p.clientCpuUsPerCycle),
        fixed(p.serverCpuUsPerCycle),
        breakdown(p.commandsPerCycle),
      ]),
  }));
}
