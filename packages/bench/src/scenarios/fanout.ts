import { createChaosProxy, startNodes } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { fixed, ratio, withRange } from '../report/format.js';
import type { ScenarioResult } from '../report/scenario-result.js';
import type { BenchSubject } from '../subjects/bench-subject.js';
import { redlockAsyncFanout, redlockFanout, redlockV4Fanout } from '../subjects/fanout.js';
import { ioredisFloor } from '../subjects/floor.js';
import { cycleTables, type UncontendedPoint } from '../uncontended-report.js';
import type { ScenarioContext } from './scenario-context.js';
import { type CycleTiming, measureCycles } from './uncontended.js';

const SLOW_DELAY_MS = 200;

/**
 * Scenario 4: Redlock fan-out over N = 1, 3, 5 independent nodes, and N = 3 and 5 with one node behind a chaos
 * proxy that delays every chunk by 200 ms each way; one cycle in flight. Server commands are counted on node 0.
 */
export async function runFanout(context: ScenarioContext, timing: CycleTiming): Promise<ScenarioResult> {
  const nodes = await startNodes(5);
  const proxies = await Promise.all([createChaosProxy(nodes.nodes[2]!), createChaosProxy(nodes.nodes[4]!)]);
  for (const proxy of proxies) proxy.setDelay(SLOW_DELAY_MS);
  const admin = new Redis(nodes.nodes[0]!.url);
  try {
    const urls = nodes.nodes.map((node) => node.url);
    const fast = (n: number) => urls.slice(0, n);
    const slow = (n: number) => [...urls.slice(0, n - 1), n === 3 ? proxies[0]!.url : proxies[1]!.url];
    const subjectsOf = (sets: { label: string; urls: string[] }[]): BenchSubject[] => [
      ioredisFloor,
      ...sets.flatMap(({ label, urls: set }) => [
        redlockFanout(set, label),
        redlockAsyncFanout(set, label),
        redlockV4Fanout(set, label),
      ]),
    ];
    const fanoutContext = { ...context, admin };
    const open = (subject: BenchSubject) => subject.open(urls[0]!);
    const fastPoints = await measureCycles(
      fanoutContext,
      subjectsOf([
        { label: 'N=1', urls: fast(1) },
        { label: 'N=3', urls: fast(3) },
        { label: 'N=5', urls: fast(5) },
      ]),
      [1],
      timing,
      open,
      'fanout',
    );
    // A cycle with a slow node takes several 400 ms round trips: longer runs, so each has a few of them.
    // The fast runs warmed the same code up; a 1 ms warm-up still runs one (slow) cycle.
    const slowTiming = { durationMs: context.quick ? 800 : 1000, warmupMs: 1 };
    const slowPoints = await measureCycles(
      fanoutContext,
      subjectsOf([
        { label: 'N=3, 1 slow', urls: slow(3) },
        { label: 'N=5, 1 slow', urls: slow(5) },
      ]),
      [1],
      slowTiming,
      open,
      'fanout (slow node)',
    );
    const points = [...fastPoints, ...slowPoints.filter((p) => !p.isFloor)];
    const split = (p: UncontendedPoint) => [
      p.subject,
      withRange(p.acquireP50Us),
      withRange(p.releaseP50Us),
      ratio(p.acquireP50Us.median / (points.find((f) => f.isFloor)?.p50Us.median ?? Number.NaN)),
      fixed(p.roundTripsPerCycle, 2),
    ];
    return {
      id: 'fanout',
      title: 'Scenario 4: Redlock fan-out',
      intro: [
        `Uncontended acquire + release, one cycle in flight, over N independent redis-servers (started by the bench); ` +
          `"1 slow": the last node is reached through the chaos proxy of @redis-locks/testing with setDelay(${SLOW_DELAY_MS}) ` +
          `(every chunk delayed ${SLOW_DELAY_MS} ms in each direction). Our Redlock keeps its defaults (request timeout ` +
          '1 s, so the slow node still votes); the peers get retryCount 0 (one attempt). The floor is the single-node ' +
          'SET NX PX + EVALSHA release of scenario 1. Round trips count one per node request. Server commands are ' +
          `those of node 0 only. ${context.repeats} interleaved repetitions of ${timing.durationMs} ms (slow node: ` +
          `${slowTiming.durationMs} ms), median (min–max); with a slow node a run holds only a few cycles, so its p99 is ` +
          'close to its max.',
      ],
      tables: [
        ...cycleTables(fastPoints, () => 'Cycles (acquire + release), all nodes fast'),
        ...cycleTables(
          slowPoints,
          () => `Cycles (acquire + release), one node ${SLOW_DELAY_MS} ms away each way`,
        ),
        {
          title: 'Acquire and release separately (µs, median per run)',
          headers: [
            'subject',
            'acquire p50 µs',
            'release p50 µs',
            'acquire × floor cycle p50',
            'round trips / cycle',
          ],
          align: ['l', 'r', 'r', 'r', 'r'],
          rows: points.filter((p) => !p.isFloor).map(split),
        },
      ],
      charts: [],
      data: {
        settings: { slowDelayMs: SLOW_DELAY_MS, repeats: context.repeats, timing, slowTiming },
        points,
      },
    };
  } finally {
    admin.disconnect();
    for (const proxy of proxies) await proxy.close().catch(() => undefined);
    await nodes.stop();
  }
}
