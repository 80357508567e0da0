import type { ContendedSubject } from '../contended/contended-subject.js';
import { ms, msRange, ratio } from '../report/format.js';
import type { ScenarioResult } from '../report/scenario-result.js';
import { percentile, type Spread, spread } from '../statistics.js';
import type { HeldReply, ReleasedReply } from '../worker/protocol.js';
import type { BenchWorker } from '../worker/worker-pool.js';
import type { ScenarioContext } from './scenario-context.js';

const TTL_MS = 10_000;
const WAIT_TIMEOUT_MS = 15_000;

/** One hand-off: holder starts releasing → waiter (another process) holds. */
interface Handoff {
  /** Latency in ms. */
  readonly ms: number;
  /** True / false when the subject's notifications are observable: a notification arrived in the window. */
  readonly byNotification: boolean | null;
}

/** One repetition of one subject. */
interface HandoffRun {
  readonly handoffs: Handoff[];
  readonly error?: string;
}

/** The hand-off figures of one subject over every repetition. */
export interface HandoffPoint {
  readonly subject: string;
  readonly kind: ContendedSubject['kind'];
  readonly wakeup: ContendedSubject['wakeup'];
  readonly p50Ms: Spread;
  readonly p90Ms: Spread;
  readonly p99Ms: Spread;
  readonly maxMs: Spread;
  /** Hand-offs measured in all repetitions. */
  readonly samples: number;
  /** Hand-offs with a notification in the window, and without one (null when not observable). */
  readonly byNotification: number | null;
  readonly byTimerOnly: number | null;
  readonly ratioToFloor: { p50: number; p99: number } | null;
  /** Every latency of every repetition, ms. */
  readonly latenciesMs: number[];
  readonly errors: string[];
}

function sleepMs(value: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, value));
}

/**
 * `warmup` unrecorded hand-offs (2 ms pauses), then `rounds` recorded ones, between two workers that have
 * `subject` open; roles swap every round.
 */
async function runRounds(
  first: BenchWorker,
  second: BenchWorker,
  resource: string,
  warmup: number,
  rounds: number,
  pauseMaxMs: number,
): Promise<Handoff[]> {
  const handoffs: Handoff[] = [];
  let holder = first;
  let waiter = second;
  await holder.request<HeldReply>({ op: 'hold', resource, waitTimeoutMs: WAIT_TIMEOUT_MS });
  for (let round = 0; round < warmup + rounds; round++) {
    let markWaiting!: () => void;
    const waiting = new Promise<void>((resolve) => {
      markWaiting = resolve;
    });
    const acquired = waiter.request<HeldReply>(
      { op: 'wait', resource, waitTimeoutMs: WAIT_TIMEOUT_MS },
      WAIT_TIMEOUT_MS + 10_000,
      () => markWaiting(),
    );
    await Promise.race([waiting, acquired]);
    // The release lands at a random point of the waiter's poll or fallback cycle.
    await sleepMs(round < warmup ? 2 : 2 + Math.random() * pauseMaxMs);
    const released = await holder.request<ReleasedReply>({ op: 'release', resource });
    const held = await acquired;
    const window = (t: bigint) => t >= released.releaseStartedAt && t <= held.heldAt;
    if (round >= warmup)
      handoffs.push({
        ms: Number(held.heldAt - released.releaseStartedAt) / 1e6,
        byNotification: held.observable ? held.notifications.some(window) : null,
      });
    [holder, waiter] = [waiter, holder];
  }
  await holder.request<ReleasedReply>({ op: 'release', resource });
  return handoffs;
}

/**
 * Scenario 2: hand-off latency between two processes for every contended subject, interleaved repetitions.
 */
export async function runHandoff(context: ScenarioContext): Promise<ScenarioResult> {
  const rounds = context.quick ? 8 : 16;
  // Unrecorded first hand-offs of every subject in every repetition, as scenario 1 warms up: the first calls of
  // a code path run cold (interpreted JavaScript, cold caches), which says little about a service that holds
  // locks all day and penalises libraries by the amount of code on their path rather than its speed.
  // V8 needs some dozens of runs to optimise a path; worker processes live across repetitions, so the first
  // repetition warms up longest.
  const warmupOf = (repeat: number) => (context.quick ? 4 : repeat === 1 ? 40 : 8);
  const pauseMaxMs = 100;
  const [first, second] = context.workers;
  if (!first || !second) throw new Error('handoff needs two workers');
  const runs = new Map<ContendedSubject, HandoffRun[]>(context.contendedSubjects.map((s) => [s, []]));
  for (let repeat = 1; repeat <= context.repeats; repeat++) {
    for (const subject of context.contendedSubjects) {
      const open = { op: 'open', subject: subject.name, urls: [context.url], ttlMs: TTL_MS } as const;
      let run: HandoffRun;
      try {
        await Promise.all([first.request(open), second.request(open)]);
        const handoffs = await runRounds(
          first,
          second,
          `handoff-${repeat}`,
          warmupOf(repeat),
          rounds,
          pauseMaxMs,
        );
        run = { handoffs };
      } catch (error) {
        run = { handoffs: [], error: error instanceof Error ? error.message : String(error) };
      } finally {
        await Promise.all([first.request({ op: 'close' }), second.request({ op: 'close' })]).catch(
          () => undefined,
        );
      }
      runs.get(subject)!.push(run);
      const latencies = run.handoffs.map((h) => h.ms);
      context.log(
        `handoff ${repeat}/${context.repeats} ${subject.name}: p50 ${ms(percentile(latencies, 0.5))} ms, ` +
          `max ${ms(Math.max(...latencies))} ms${run.error ? `, error: ${run.error}` : ''}`,
      );
    }
  }

  const points: HandoffPoint[] = [];
  for (const [subject, subjectRuns] of runs) {
    const ok = subjectRuns.filter((run) => run.handoffs.length > 0);
    const per = (q: number) =>
      spread(
        ok.map((run) =>
          percentile(
            run.handoffs.map((h) => h.ms),
            q,
          ),
        ),
      );
    const all = ok.flatMap((run) => run.handoffs);
    const observable = all.length > 0 && all.every((h) => h.byNotification !== null);
    points.push({
      subject: subject.name,
      kind: subject.kind,
      wakeup: subject.wakeup,
      p50Ms: per(0.5),
      p90Ms: per(0.9),
      p99Ms: per(0.99),
      maxMs: per(1),
      samples: all.length,
      byNotification: observable ? all.filter((h) => h.byNotification).length : null,
      byTimerOnly: observable ? all.filter((h) => !h.byNotification).length : null,
      ratioToFloor: null,
      latenciesMs: all.map((h) => h.ms),
      errors: subjectRuns.flatMap((run) => (run.error ? [run.error] : [])),
    });
  }
  const floor = points.find((p) => p.kind === 'floor');
  const withRatios = points.map((p) => ({
    ...p,
    ratioToFloor: floor
      ? { p50: p.p50Ms.median / floor.p50Ms.median, p99: p.p99Ms.median / floor.p99Ms.median }
      : null,
  }));

  const wokenBy = (p: HandoffPoint) =>
    p.byNotification === null ? `– (${p.wakeup}, not observable)` : `${p.byNotification} / ${p.byTimerOnly}`;
  const rows = withRatios.map((p) => [
    p.subject,
    p.wakeup,
    msRange(p.p50Ms),
    ratio(p.ratioToFloor?.p50),
    msRange(p.p90Ms),
    msRange(p.p99Ms),
    ratio(p.ratioToFloor?.p99),
    msRange(p.maxMs),
    String(p.samples),
    wokenBy(p),
    p.errors.length > 0 ? `${p.errors.length} failed: ${p.errors[0]}` : '',
  ]);
  return {
    id: 'handoff',
    title: 'Scenario 2: hand-off between two processes',
    intro: [
      `One process holds the lock, another waits for it (it first checks with one attempt that the lock is held). After a ` +
        `random 2–${2 + pauseMaxMs} ms pause, so the release lands at a random point of the waiter's poll or fallback ` +
        `cycle, the holder releases. Latency = waiter holds − holder starts releasing, both process.hrtime.bigint() ` +
        `(one clock for all processes of a machine). Roles swap every round; ${warmupOf(1)} unrecorded warm-up rounds (2 ms ` +
        `pauses) in the first repetition and ${warmupOf(2)} in the others, then ${rounds} recorded rounds per repetition, ` +
        `${context.repeats} interleaved repetitions; each figure is the median of the per-repetition percentiles ` +
        `(min–max). Library defaults everywhere (retry delays, fallback intervals), ttl ${TTL_MS / 1000} s.`,
      '"woken by notification / timer only": for subjects whose release notifications we can observe (our strategies ' +
        'through the adapter, redfour/ioredfour through their subscriber, the floor through BLPOP), whether a ' +
        'notification reached the waiter between release start and holding; "timer only" hand-offs were completed by a ' +
        'poll or fallback timer. Poll-only strategies (optimistic, keyed) show 0 notifications by design.',
    ],
    tables: [
      {
        title: 'Hand-off latency (ms)',
        headers: [
          'subject',
          'wake-up',
          'p50 ms',
          '× floor',
          'p90 ms',
          'p99 ms',
          '× floor',
          'max ms',
          'hand-offs',
          'woken by notification / timer only',
          'failures',
        ],
        align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
        rows,
      },
    ],
    charts: [
      {
        title: 'Hand-off latency distribution (ECDF, all repetitions)',
        xLabel: 'release start → waiter holds, ms (log scale)',
        yLabel: 'fraction of hand-offs ≤ x',
        logX: true,
        series: withRatios.map((p) => {
          const sorted = [...p.latenciesMs].sort((a, b) => a - b);
          return {
            name: p.subject,
            dashed: p.kind === 'floor',
            points: sorted.map(
              (value, index) => [Math.max(value, 0.01), (index + 1) / sorted.length] as const,
            ),
          };
        }),
      },
    ],
    data: {
      settings: {
        warmup: [warmupOf(1), warmupOf(2)],
        rounds,
        pauseMaxMs,
        ttlMs: TTL_MS,
        repeats: context.repeats,
      },
      points: withRatios,
    },
  };
}
