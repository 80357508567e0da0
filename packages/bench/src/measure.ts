import type { Redis } from 'ioredis';
import {
  type CommandCounts,
  readCommandStats,
  readServerCpuSeconds,
  resetCommandStats,
  totalCommands,
} from './server-commands.js';
import { percentile } from './statistics.js';
import type { OpenSubject } from './subjects/bench-subject.js';

/** One timed run of one subject at one concurrency. */
export interface RunSample {
  /** Completed acquire+release cycles. */
  readonly cycles: number;
  /** Length of the run in ms. */
  readonly elapsedMs: number;
  /** Cycles per second. */
  readonly cyclesPerSecond: number;
  /** Median latency of one cycle, µs. */
  readonly p50Us: number;
  /** 99th percentile latency of one cycle, µs. */
  readonly p99Us: number;
  /** Client requests per cycle. */
  readonly roundTripsPerCycle: number;
  /** Commands the server executed per cycle, including those run inside scripts. */
  readonly serverCommandsPerCycle: number;
  /** `serverCommandsPerCycle` by command name. */
  readonly commandsPerCycle: CommandCounts;
  /** CPU time of this (client) process per cycle, µs (user + system). */
  readonly clientCpuUsPerCycle: number;
  /** CPU time of redis-server per cycle, µs (INFO cpu, user + system). */
  readonly serverCpuUsPerCycle: number;
  /** Median acquire latency, µs (subjects with `phases` only, else NaN). */
  readonly acquireP50Us: number;
  /** Median release latency, µs (subjects with `phases` only, else NaN). */
  readonly releaseP50Us: number;
}

/** Runs `inFlight` loops of back-to-back cycles, each loop on its own resource, for `durationMs`. */
async function drive(
  subject: OpenSubject,
  inFlight: number,
  durationMs: number,
  latenciesUs?: number[],
): Promise<number> {
  const deadline = performance.now() + durationMs;
  let cycles = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async (_, index) => {
      const resource = `r${index}`;
      while (performance.now() < deadline) {
        const started = process.hrtime.bigint();
        await subject.cycle(resource);
        latenciesUs?.push(Number(process.hrtime.bigint() - started) / 1000);
        cycles++;
      }
    }),
  );
  return cycles;
}

/** Warms the subject up (JIT, connections, script cache) for `durationMs` at `inFlight`. */
export async function warmUp(subject: OpenSubject, inFlight: number, durationMs: number): Promise<void> {
  await drive(subject, inFlight, durationMs);
}

/**
 * Measures one run: throughput and per-cycle latency on the client, round trips through the subject's counter,
 * and server commands from `INFO commandstats` (reset right before) on the bench's own Redis.
 */
export async function measureRun(
  subject: OpenSubject,
  admin: Redis,
  inFlight: number,
  durationMs: number,
): Promise<RunSample> {
  const latenciesUs: number[] = [];
  await resetCommandStats(admin);
  subject.roundTrips.reset();
  if (subject.phases) {
    subject.phases.acquireUs.length = 0;
    subject.phases.releaseUs.length = 0;
  }
  const serverCpuBefore = await readServerCpuSeconds(admin);
  const clientCpuBefore = process.cpuUsage();
  const started = performance.now();
  const cycles = await drive(subject, inFlight, durationMs, latenciesUs);
  const elapsedMs = performance.now() - started;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverCpuSeconds = (await readServerCpuSeconds(admin)) - serverCpuBefore;
  const roundTrips = subject.roundTrips.count;
  const counts = await readCommandStats(admin);
  const commandsPerCycle: CommandCounts = {};
  for (const [name, calls] of Object.entries(counts)) commandsPerCycle[name] = calls / cycles;
  return {
    cycles,
    elapsedMs,
    cyclesPerSecond: (cycles * 1000) / elapsedMs,
    p50Us: percentile(latenciesUs, 0.5),
    p99Us: percentile(latenciesUs, 0.99),
    roundTripsPerCycle: roundTrips / cycles,
    serverCommandsPerCycle: totalCommands(counts) / cycles,
    commandsPerCycle,
    clientCpuUsPerCycle: (clientCpu.user + clientCpu.system) / cycles,
    serverCpuUsPerCycle: (serverCpuSeconds * 1e6) / cycles,
    acquireP50Us: percentile(subject.phases?.acquireUs ?? [], 0.5),
    releaseP50Us: percentile(subject.phases?.releaseUs ?? [], 0.5),
  };
}
