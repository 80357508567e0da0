/**
 * `pnpm --filter @redis-locks/bench bench`: the benchmark plan of ARCHITECTURE.md §6 on a redis-server (and, for
 * fan-out and WAIT cost, Redis topologies) of its own, for the raw floor, our strategies and the peers. Prints
 * markdown, writes JSON and a self-contained HTML report to bench-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startRedis } from '@redis-locks/testing';
import { CONTENDED_SUBJECTS } from './contended/registry.js';
import { machineInfo } from './machine.js';
import { renderHtmlReport } from './report/html-report.js';
import type { ScenarioResult } from './report/scenario-result.js';
import { tableToMarkdown } from './report/table.js';
import { runContention } from './scenarios/contention.js';
import { runFanout } from './scenarios/fanout.js';
import { runHandoff } from './scenarios/handoff.js';
import { runRetrySpread } from './scenarios/retry-spread.js';
import type { ScenarioContext } from './scenarios/scenario-context.js';
import { runUncontended } from './scenarios/uncontended.js';
import { runWaitCost } from './scenarios/wait-cost.js';
import { connectIoredis } from './subjects/clients.js';
import { type BenchWorker, startWorkers } from './worker/worker-pool.js';

const SCENARIOS = ['uncontended', 'handoff', 'contention', 'fanout', 'wait', 'retry'] as const;
type ScenarioId = (typeof SCENARIOS)[number];
/** Scenarios that run in worker processes. */
const NEEDS_WORKERS = new Set<ScenarioId>(['handoff', 'contention', 'retry']);
const WORKERS = 4;

const { values: args } = parseArgs({
  // `pnpm bench -- --duration 500` passes the `--` through.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    scenario: { type: 'string', default: SCENARIOS.join(',') },
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    repeats: { type: 'string', default: '3' },
    subjects: { type: 'string' },
  },
});
const quick = args.quick === true;
const durationMs = Number(args.duration ?? (quick ? 300 : 700));
const warmupMs = Number(args.warmup ?? (quick ? 100 : 200));
const repeats = Number(args.repeats);
for (const [name, value] of Object.entries({ duration: durationMs, warmup: warmupMs, repeats })) {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`--${name} must be a positive integer`);
}
// `--subjects semaphore,redfour`: contended subjects whose name contains one of these (the floor always runs).
const subjectFilter = args.subjects
  ?.split(',')
  .map((s) => s.trim().toLowerCase())
  .filter(Boolean);
const contendedSubjects = CONTENDED_SUBJECTS.filter(
  (subject) =>
    subject.kind === 'floor' ||
    !subjectFilter ||
    subjectFilter.some((part) => subject.name.toLowerCase().includes(part)),
);
if (contendedSubjects.length === 1 && subjectFilter)
  throw new RangeError(`--subjects ${args.subjects} matches no subject`);
const selected = args.scenario.split(',').map((s) => s.trim()) as ScenarioId[];
for (const id of selected) {
  if (!SCENARIOS.includes(id))
    throw new RangeError(`unknown scenario ${id}; choose from ${SCENARIOS.join(', ')}`);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function toMarkdown(result: ScenarioResult): string {
  return [
    `## ${result.title}`,
    '',
    ...result.intro.flatMap((p) => [p, '']),
    ...result.tables.map(tableToMarkdown),
  ]
    .join('\n')
    .concat('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const server = await startRedis();
  const admin = await connectIoredis(server.url);
  let workers: BenchWorker[] = [];
  try {
    const info = await admin.info('server');
    const machine = machineInfo(/^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown');
    log(
      `bench: redis ${machine.redis} on ${server.url}; ${machine.nproc} CPUs, ${machine.cpuModel}; node ${machine.node}; ` +
        `scenarios ${selected.join(', ')}${quick ? ' (quick)' : ''}`,
    );
    const loadAtStart = loadavg();
    if (selected.some((id) => NEEDS_WORKERS.has(id))) workers = startWorkers(WORKERS);
    const context: ScenarioContext = {
      url: server.url,
      admin,
      workers,
      repeats,
      quick,
      contendedSubjects,
      log,
    };
    const timing = { durationMs, warmupMs };
    const results: ScenarioResult[] = [];
    const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results');
    mkdirSync(resultsDir, { recursive: true });
    const stamp = startedAt.replace(/[:.]/g, '-');
    const settings = { durationMs, warmupMs, repeats, quick, subjects: args.subjects ?? 'all' };
    // Results are written as each scenario ends, so a failure later keeps what was measured.
    const save = (result: ScenarioResult) => {
      const json = JSON.stringify(
        { scenario: result.id, startedAt, machine, loadAtStart, settings, ...(result.data as object) },
        (_, value) => (typeof value === 'bigint' ? value.toString() : value),
        2,
      );
      writeFileSync(join(resultsDir, `${result.id}-${stamp}.json`), json);
      writeFileSync(join(resultsDir, `${result.id}-latest.json`), json);
      const html = renderHtmlReport(results, {
        machine,
        startedAt,
        loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
      });
      writeFileSync(join(resultsDir, `report-${stamp}.html`), html);
      writeFileSync(join(resultsDir, 'report-latest.html'), html);
    };
    let failed = 0;
    for (const id of SCENARIOS.filter((s) => selected.includes(s))) {
      const scenarioStarted = performance.now();
      log(`bench: scenario ${id}`);
      let result: ScenarioResult;
      try {
        result = await {
          uncontended: () => runUncontended(context, timing),
          handoff: () => runHandoff(context),
          contention: () => runContention(context),
          fanout: () => runFanout(context, timing),
          wait: () => runWaitCost(context, timing),
          retry: () => runRetrySpread(context),
        }[id]();
      } catch (error) {
        failed++;
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`bench: scenario ${id} failed: ${message}`);
        result = {
          id,
          title: `Scenario ${id}: failed`,
          intro: [`This scenario failed and measured nothing: ${message.split('\n')[0]}`],
          tables: [],
          charts: [],
          data: { error: message },
        };
      }
      results.push(result);
      process.stdout.write(`${toMarkdown(result)}\n`);
      save(result);
      log(`bench: scenario ${id} took ${((performance.now() - scenarioStarted) / 1000).toFixed(0)} s`);
    }
    if (failed > 0) process.exitCode = 1;

    // Other work on the machine skews absolute figures; the load average tells readers how quiet it was.
    const loadAverage = { atStart: loadAtStart, atEnd: loadavg() };
    log(
      `bench: load average ${loadAverage.atStart[0]?.toFixed(2)} at start, ${loadAverage.atEnd[0]?.toFixed(2)} at end; ` +
        `took ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    const html = renderHtmlReport(results, { machine, startedAt, loadAverage });
    writeFileSync(join(resultsDir, `report-${stamp}.html`), html);
    writeFileSync(join(resultsDir, 'report-latest.html'), html);
    log(`bench: results in ${resultsDir} (<scenario>-latest.json, report-latest.html)`);
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
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
