// Connected clients of both kinds, the same the conformance suite uses.
export {
  type ClientKind,
  clientKinds,
  openClient as connect,
  type SuiteClient as Connection,
} from '@redis-locks/conformance';

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A callback that records its calls, and a promise of the first call's arguments. */
export function recorder<A extends unknown[]>(): { cb: (...args: A) => void; calls: A[]; first: Promise<A> } {
  const calls: A[] = [];
  let resolveFirst!: (args: A) => void;
  const first = new Promise<A>((resolve) => {
    resolveFirst = resolve;
  });
  const cb = (...args: A): void => {
    calls.push(args);
    resolveFirst(args);
  };
  return { cb, calls, first };
}

/**
 * Runs `run`, which makes a user callback throw, and collects what reaches `uncaughtException` within
 * `settleMs`. Vitest's own listener is set aside meanwhile, so the deliberate error does not fail the run.
 */
export async function collectUncaught(run: () => Promise<void>, settleMs = 100): Promise<unknown[]> {
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const caught: unknown[] = [];
  const listener = (error: unknown) => caught.push(error);
  process.on('uncaughtException', listener);
  try {
    await run();
    await delay(settleMs);
  } finally {
    process.off('uncaughtException', listener);
    for (const l of saved) process.on('uncaughtException', l);
  }
  return caught;
}
