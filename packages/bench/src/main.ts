/**
 * `pnpm --filter @redis-locks/bench bench`: scenario 1 of the benchmark plan (uncontended acquire+release),
 * one in flight and 16 in flight, on a redis-server of its own, for the raw floor, our strategies and
 * node-redis-warlock. Prints markdown and writes JSON to bench-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startRedis } from '@redis-locks/testing';
import { machineInfo } from './machine.js';
import { measureRun, type RunSample, warmUp } from './measure.js';
import type { BenchSubject, OpenSubject } from './subjects/bench-subject.js';
import { connectIoredis } from './subjects/clients.js';
import { ioredisFloor, nodeRedisFloor } from './subjects/floor.js';
import { keyedOnIoredis, optimisticOnIoredis, optimisticOnNodeRedis } from './subjects/strategies.js';
import { warlockOnIoredis } from './subjects/warlock.js';
import { renderMarkdown, summarize } from './uncontended-report.js';

const SUBJECTS: readonly BenchSubject[] = [
  ioredisFloor,
  optimisticOnIoredis,
  keyedOnIoredis,
  warlockOnIoredis,
  nodeRedisFloor,
  optimisticOnNodeRedis,
];
const IN_FLIGHT = [1, 16] as const;

const { values: args } = parseArgs({
  // `pnpm bench -- --duration 500` passes the `--` through.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    duration: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '300' },
    repeats: { type: 'string', default: '3' },
  },
});
const durationMs = Number(args.duration);
const warmupMs = Number(args.warmup);
const repeats = Number(args.repeats);
for (const [name, value] of Object.entries({ duration: durationMs, warmup: warmupMs, repeats })) {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`--${name} must be a positive integer`);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<void> {
  const server = await startRedis();
  const admin = await connectIoredis(server.url);
  const opened = new Map<BenchSubject, OpenSubject>();
  try {
    const info = await admin.info('server');
    const machine = machineInfo(/^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown');
    log(
      `bench: redis ${machine.redis} on ${server.url}; ${machine.nproc} CPUs, ${machine.cpuModel}; node ${machine.node}`,
    );
    const loadAtStart = loadavg();
    for (const subject of SUBJECTS) opened.set(subject, await subject.open(server.url));

    const samples = new Map<BenchSubject, Map<number, RunSample[]>>(SUBJECTS.map((s) => [s, new Map()]));
    // Repetitions are interleaved (every subject once, then again), so slow drift of the machine spreads evenly.
    for (let repeat = 1; repeat <= repeats; repeat++) {
      for (const inFlight of IN_FLIGHT) {
        for (const subject of SUBJECTS) {
          const open = opened.get(subject)!;
          await warmUp(open, inFlight, warmupMs);
          const sample = await measureRun(open, admin, inFlight, durationMs);
          const byLevel = samples.get(subject)!;
          byLevel.set(inFlight, [...(byLevel.get(inFlight) ?? []), sample]);
          log(
            `run ${repeat}/${repeats}, ${String(inFlight).padStart(2)} in flight, ${subject.name} (${subject.client}): ` +
              `${sample.cyclesPerSecond.toFixed(0)} cycles/s, p50 ${sample.p50Us.toFixed(0)} µs, ` +
              `${sample.roundTripsPerCycle.toFixed(2)} round trips, ${sample.serverCommandsPerCycle.toFixed(2)} commands`,
          );
        }
      }
    }

    // Other work on the machine skews absolute figures; the load average tells readers how quiet it was.
    const loadAverage = { atStart: loadAtStart, atEnd: loadavg() };
    log(
      `bench: load average ${loadAverage.atStart[0]?.toFixed(2)} at start, ${loadAverage.atEnd[0]?.toFixed(2)} at end`,
    );
    const points = summarize(samples, IN_FLIGHT);
    const markdown = renderMarkdown(points, repeats);
    process.stdout.write(`${markdown}\n`);
    const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results');
    mkdirSync(resultsDir, { recursive: true });
    const startedAt = new Date().toISOString();
    const file = join(resultsDir, `uncontended-${startedAt.replace(/[:.]/g, '-')}.json`);
    const json = JSON.stringify(
      {
        scenario: 'uncontended',
        startedAt,
        machine,
        settings: { durationMs, warmupMs, repeats, inFlight: IN_FLIGHT },
        points,
      },
      null,
      2,
    );
    writeFileSync(file, json);
    writeFileSync(join(resultsDir, 'uncontended-latest.json'), json);
    log(`bench: results written to ${file}`);
  } finally {
    for (const open of opened.values()) await open.close().catch(() => undefined);
    admin.disconnect();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
