import type { WorkerProcess } from './worker-process.js';
import type { HeldResult, ReleasedResult } from './worker-protocol.js';

/** Parameters of {@link measureHandoff}. */
export interface HandoffOptions {
  /** The resource passed back and forth. */
  readonly resource: string;
  /** Number of hand-offs to measure. */
  readonly rounds: number;
  /** Lock ttl in ms. */
  readonly ttlMs: number;
  /** Longest wait of one acquire, in ms. */
  readonly waitTimeoutMs: number;
  /**
   * The holder releases a uniformly random 2..2+pauseMaxMs ms after the waiter started waiting: for polling
   * strategies, the longest retry delay, so the release lands at a random point of the waiter's cycle.
   */
  readonly pauseMaxMs: number;
  /** Stops between rounds. */
  readonly signal?: AbortSignal;
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Hand-off latency between two processes: one holds, the other waits (it first checks with one attempt that
 * the lock is held); after a random pause (see `pauseMaxMs`), so the waiter sits at a random point of its
 * retry or notification wait, the holder releases. Latency = waiter holds − holder starts releasing, both taken with
 * `process.hrtime.bigint()`, which is one clock for all processes of a machine. Roles swap every round.
 */
export async function measureHandoff(
  first: WorkerProcess,
  second: WorkerProcess,
  options: HandoffOptions,
): Promise<number[]> {
  const { resource, ttlMs: ttl, waitTimeoutMs: waitTimeout } = options;
  const timeoutMs = waitTimeout + 10_000;
  const latenciesMs: number[] = [];
  let holder = first;
  let waiter = second;
  await holder.request<HeldResult>({ op: 'hold', resource, ttl, waitTimeout }, { timeoutMs });
  for (let round = 0; round < options.rounds && !options.signal?.aborted; round++) {
    let markWaiting!: () => void;
    const waiting = new Promise<void>((resolve) => {
      markWaiting = resolve;
    });
    const acquired = waiter.request<HeldResult>(
      { op: 'wait', resource, ttl, waitTimeout },
      { timeoutMs, onWaiting: () => markWaiting() },
    );
    await Promise.race([waiting, acquired]);
    await sleepMs(2 + Math.random() * options.pauseMaxMs);
    const released = await holder.request<ReleasedResult>({ op: 'release', resource }, { timeoutMs });
    const { heldAt } = await acquired;
    latenciesMs.push(Number(heldAt - released.releaseStartedAt) / 1e6);
    [holder, waiter] = [waiter, holder];
  }
  await holder.request<ReleasedResult>({ op: 'release', resource }, { timeoutMs });
  return latenciesMs;
}
