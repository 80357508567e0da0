import { startReplicated } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import type { ScenarioResult } from '../report/scenario-result.js';
import type { BenchSubject } from '../subjects/bench-subject.js';
import { ioredisFloor } from '../subjects/floor.js';
import {
  ioredfourReplicated,
  semaphoreReplicated,
  unacknowledgedCycles,
  WAIT_REPLICAS,
  WAIT_TIMEOUT_MS,
  waitFloor,
} from '../subjects/replicated.js';
import { cycleTables } from '../uncontended-report.js';
import type { ScenarioContext } from './scenario-context.js';
import { type CycleTiming, measureCycles } from './uncontended.js';

const IN_FLIGHT = [1, 16] as const;

/** The scenario-1 floor without WAIT, as a reference row (not the floor of this scenario). */
const noWaitReference: BenchSubject = {
  ...ioredisFloor,
  name: 'reference: SET NX PX + EVALSHA release, no WAIT',
  isFloor: false,
};

/** Scenario 5: the cost of WAIT — a primary with one replica, acquire+release cycles with and without WAIT. */
export async function runWaitCost(context: ScenarioContext, timing: CycleTiming): Promise<ScenarioResult> {
  const topology = await startReplicated({ replicas: 1 });
  const admin = new Redis(topology.primary.url);
  try {
    // Right after start the replica acknowledges only on its 1 s REPLCONF ACK timer: wait until WAIT answers.
    for (let attempt = 0; attempt < 20; attempt++) {
      await admin.set('bench:wait-ready', String(attempt));
      if (Number(await admin.wait(1, 500)) >= 1) break;
    }
    const subjects: BenchSubject[] = [
      waitFloor,
      noWaitReference,
      semaphoreReplicated({ minReplicas: WAIT_REPLICAS, timeout: WAIT_TIMEOUT_MS }),
      semaphoreReplicated(undefined),
      ioredfourReplicated(WAIT_REPLICAS),
      ioredfourReplicated(0),
    ];
    const points = await measureCycles(
      { ...context, admin },
      subjects,
      IN_FLIGHT,
      timing,
      (subject) => subject.open(topology.primary.url),
      'wait',
    );
    return {
      id: 'wait',
      title: 'Scenario 5: WAIT cost (primary + 1 replica)',
      intro: [
        `Uncontended acquire + release against the primary of a primary + 1 replica topology (startReplicated of ` +
          `@redis-locks/testing, loopback, diskless sync). The floor sends SET NX PX and WAIT ${WAIT_REPLICAS} ` +
          `${WAIT_TIMEOUT_MS} pipelined on one connection (WAIT covers exactly that write), then the compare-and-delete ` +
          `release: 2 round trips. "× floor" compares with that WAIT floor; the no-WAIT rows show what WAIT costs. Our ` +
          'semaphore sends its acquire script and WAIT on a dedicated connection (2 round trips for the acquire); ' +
          `ioredfour pipelines script + WAIT, then extends to restore the ttl. ${context.repeats} interleaved ` +
          `repetitions of ${timing.durationMs} ms, median (min–max). Server commands are counted on the primary. A cycle ` +
          'whose write was not acknowledged in time is counted (last table) and not retried; it still counts as a cycle.',
      ],
      tables: [
        ...cycleTables(points, (inFlight) => `${inFlight} in flight`),
        {
          title: `Cycles whose write the replica did not acknowledge within ${WAIT_TIMEOUT_MS} ms (all runs, warm-ups included)`,
          headers: ['subject', 'unacknowledged cycles'],
          align: ['l', 'r'],
          rows: subjects.map((subject) => [
            subject.name,
            String(unacknowledgedCycles.get(subject.name) ?? 0),
          ]),
        },
      ],
      charts: [],
      data: {
        settings: { ...timing, repeats: context.repeats, inFlight: IN_FLIGHT },
        points,
        unacknowledgedCycles: Object.fromEntries(unacknowledgedCycles),
      },
    };
  } finally {
    admin.disconnect();
    await topology.stop();
  }
}
