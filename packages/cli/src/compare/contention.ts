import { isLockError, type LockStrategy, type RetryPolicy } from '@redis-locks/core';
import type { HoldRecord } from '@redis-locks/testing';
import type { ContendRequest, ContendResult } from './worker-protocol.js';

const NS_PER_MS = 1_000_000n;

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Holds for a uniformly random time in [0, maxMs]: short holds yield to the event loop only. */
function hold(maxMs: number): Promise<void> {
  const ms = Math.random() * maxMs;
  if (ms < 0.5) return new Promise((resolve) => setImmediate(resolve));
  return sleepMs(ms);
}

/**
 * Runs `request.loops` concurrent acquire → hold → release loops on random hot resources until
 * `request.endAt`, recording each hold with `process.hrtime.bigint()` right after acquire resolved and
 * right before release was sent.
 */
export async function contend(
  strategy: LockStrategy,
  request: ContendRequest,
  workerIndex: number,
  waitRetry: RetryPolicy | undefined,
): Promise<ContendResult> {
  const records: HoldRecord[] = [];
  const acquisitionsPerLoop = new Array<number>(request.loops).fill(0);
  const waitsMs: number[] = [];
  let timeouts = 0;
  let lostReleases = 0;
  let errors = 0;
  let lastError: string | undefined;

  const untilStart = Number((request.startAt - process.hrtime.bigint()) / NS_PER_MS);
  if (untilStart > 0) await sleepMs(untilStart);
  const stop = AbortSignal.timeout(
    Math.max(1, Number((request.endAt - process.hrtime.bigint()) / NS_PER_MS)),
  );

  const loop = async (index: number): Promise<void> => {
    const owner = `w${workerIndex}.${index}`;
    while (!stop.aborted) {
      const resource = request.resources[Math.floor(Math.random() * request.resources.length)]!;
      const asked = process.hrtime.bigint();
      let lock: Awaited<ReturnType<LockStrategy['acquire']>>;
      try {
        lock = await strategy.acquire(resource, {
          ttl: request.ttl,
          waitTimeout: request.waitTimeout,
          signal: stop,
          ...(waitRetry ? { retry: waitRetry } : {}),
        });
      } catch (error) {
        if (isLockError(error, 'LOCK_ABORTED')) break;
        if (isLockError(error, 'LOCK_TIMEOUT')) {
          timeouts++;
          continue;
        }
        errors++;
        lastError = error instanceof Error ? error.message : String(error);
        await sleepMs(10);
        continue;
      }
      const start = process.hrtime.bigint();
      waitsMs.push(Number(start - asked) / 1e6);
      await hold(request.holdMaxMs);
      const end = process.hrtime.bigint();
      records.push({ resource, owner, start, end });
      acquisitionsPerLoop[index]!++;
      try {
        if ((await lock.release()) !== 'released') lostReleases++;
      } catch (error) {
        errors++;
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
  };

  await Promise.all(Array.from({ length: request.loops }, (_, index) => loop(index)));
  return {
    records,
    acquisitionsPerLoop,
    waitsMs,
    timeouts,
    lostReleases,
    errors,
    ...(lastError === undefined ? {} : { lastError }),
  };
}
