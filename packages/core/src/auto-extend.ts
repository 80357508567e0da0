import { isLockError, LockLostError } from './errors.js';

/** What auto-extension needs from a held lock. */
export interface ExtendableLock {
  readonly resource: string;
  readonly expiresAt: number;
  readonly signal: AbortSignal;
}

/**
 * Extends `lock` every ttl/3 (timed from when the previous acquire or extension completed) until stopped.
 * A failed extension is retried while the lock is still valid; when it is lost, `onLost` runs once.
 * Never throws and never leaves a rejected promise behind; its timer is unref()ed.
 */
export function startAutoExtension(
  lock: ExtendableLock,
  ttl: number,
  extend: () => Promise<unknown>,
  onLost: (error: LockLostError) => void,
): () => void {
  const interval = Math.max(1, Math.floor(ttl / 3));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = (delay: number) => {
    if (stopped || lock.signal.aborted) return;
    timer = setTimeout(run, delay);
    timer.unref();
  };

  const run = () => {
    extend().then(
      () => schedule(interval),
      (error: unknown) => {
        if (stopped || lock.signal.aborted) return;
        if (isLockError(error, 'LOCK_LOST')) return onLost(error as LockLostError);
        // A transient failure: retry while the lock may still be valid, fast enough to beat the expiry.
        const remaining = lock.expiresAt - Date.now();
        if (remaining <= 0) {
          return onLost(
            new LockLostError(lock.resource, 'auto-extension kept failing until it expired', {
              cause: error,
            }),
          );
        }
        schedule(Math.min(interval, Math.max(1, Math.floor(remaining / 3))));
      },
    );
  };

  schedule(interval);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
