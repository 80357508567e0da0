import type { HoldRecord } from '@redis-locks/testing';
import type { OpenContended } from '../contended/contended-subject.js';
import type { ContendReply, ContendRequest } from './protocol.js';

/** How long after the window loops stuck in a peer's acquire are waited for, ms. */
const DRAIN_LIMIT_MS = 1000;

function sleepMs(ms: number): Promise<void> {
  return ms < 0.5 ? new Promise((resolve) => setImmediate(resolve)) : new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs `request.loops` concurrent acquire → hold → release → think loops on one resource from `startAt`; no loop
 * starts an acquisition after `endAt`. Holds are stamped with `process.hrtime.bigint()` right after acquire
 * resolved and right before release was called, for the overlap checker.
 */
export async function contendLoops(subject: OpenContended, request: ContendRequest): Promise<ContendReply> {
  const records: HoldRecord[] = [];
  const acquisitionsPerLoop = new Array<number>(request.loops).fill(0);
  const waitsUs: number[] = [];
  let acquisitionsTotal = 0;
  let timeouts = 0;
  let lostReleases = 0;
  let errors = 0;
  let lastError: string | undefined;
  let waiting = 0;
  const attemptsBefore = subject.attempts?.length ?? 0;

  const untilStart = Number(request.startAt - process.hrtime.bigint()) / 1e6;
  if (untilStart > 0) await sleepMs(untilStart);
  // Subjects that can be cancelled stop waiting at the end of the window instead of draining the queue.
  const stop = new AbortController();
  const stopTimer = setTimeout(
    () => stop.abort(),
    Math.max(0, Number(request.endAt - process.hrtime.bigint()) / 1e6),
  );
  const loop = async (index: number): Promise<void> => {
    const owner = `${request.ownerPrefix}.${index}`;
    while (process.hrtime.bigint() < request.endAt) {
      const asked = process.hrtime.bigint();
      let lock: Awaited<ReturnType<OpenContended['acquire']>>;
      waiting++;
      try {
        lock = await subject.acquire(request.resource, request.waitTimeoutMs, stop.signal);
      } catch (error) {
        waiting--;
        if (stop.signal.aborted) break;
        timeouts++;
        lastError = error instanceof Error ? error.message : String(error);
        continue;
      }
      waiting--;
      const start = process.hrtime.bigint();
      acquisitionsTotal++;
      const inWindow = start < request.endAt;
      if (inWindow) {
        acquisitionsPerLoop[index]!++;
        waitsUs.push(Number(start - asked) / 1000);
      }
      // After the window a late acquisition (a peer that could not be cancelled) is handed back at once.
      if (inWindow) await sleepMs(request.holdMs);
      const end = process.hrtime.bigint();
      records.push({ resource: request.resource, owner, start, end });
      try {
        if (!(await lock.release())) lostReleases++;
      } catch (error) {
        errors++;
        lastError = error instanceof Error ? error.message : String(error);
      }
      await sleepMs(Math.random() * request.thinkMaxMs);
    }
  };
  const loops = Promise.all(Array.from({ length: request.loops }, (_, index) => loop(index)));
  // A peer's wait cannot be cancelled: give it DRAIN_LIMIT_MS after the window, then leave it (the subject's close
  // ends it) and report how many loops were still waiting — a lost wake-up shows up here.
  const limit = Math.max(0, Number(request.endAt - process.hrtime.bigint()) / 1e6) + DRAIN_LIMIT_MS;
  let limitTimer: NodeJS.Timeout | undefined;
  await Promise.race([loops, new Promise((resolve) => (limitTimer = setTimeout(resolve, limit)))]);
  clearTimeout(limitTimer);
  clearTimeout(stopTimer);
  const stuckAfterWindow = waiting;
  return {
    records,
    acquisitionsPerLoop,
    acquisitionsTotal,
    waitsUs,
    attempts: subject.attempts?.slice(attemptsBefore) ?? [],
    attemptsObservable: subject.attempts !== undefined,
    stuckAfterWindow,
    timeouts,
    lostReleases,
    errors,
    ...(lastError === undefined ? {} : { lastError }),
  };
}
