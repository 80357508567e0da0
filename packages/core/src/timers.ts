/** Resolves after `ms` (an unref()ed timer), or early when `signal` aborts; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Monotonic milliseconds, immune to wall-clock jumps. */
export function monotonicNow(): number {
  return performance.now();
}

/** A sleep that `wake()` ends early. */
export interface WakeableSleep {
  /** Resolves when the time is up or `wake()` was called; never rejects. */
  readonly done: Promise<void>;
  wake(): void;
}

/**
 * Sleeps `ms` on an unref()ed timer unless woken first. Plain callbacks instead of an AbortSignal: aborting
 * builds a DOMException (with a stack trace) and dispatches events, which costs a notified waiter ~0.2 ms.
 */
export function wakeableSleep(ms: number): WakeableSleep {
  let wake!: () => void;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}

/** Resolves in the check phase of this event-loop turn, after the I/O callbacks already under way. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves true once `pending` fulfilled, false when it rejected or `ms` passed first (an unref()ed timer). */
export async function settlesWithin(pending: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  const settled = pending.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([settled, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
