import type { WatchGrant } from './strategy-base.js';

/** Wakes one waiter: with the grant when the lock was handed to a token, without one for a plain release. */
export type WakeWaiter = (grant?: WatchGrant) => void;

interface ResourceWaiters {
  /** In arrival order: a Set iterates in insertion order. */
  readonly waiters: Set<WakeWaiter>;
  /** The id of the last release that woke someone (several notifications may announce one release). */
  lastRelease: string | undefined;
}

/**
 * The waiters of one strategy instance, per resource, in arrival order, for a strategy's `_watch`: it adds
 * each waiter's wake-up here and feeds in the notifications it receives.
 *
 * Only one waiter can take a released lock, so a plain release wakes the longest-waiting one, once however
 * many notifications announce it (every Redlock node publishes the same release). The others stay asleep
 * instead of each spending an attempt, and still re-check on their fallback timer should that waiter be
 * gone. A hand-off wakes the resource's waiters with the grant; only the one whose token it names takes it.
 */
export class ReleaseWaiters {
  readonly #byResource = new Map<string, ResourceWaiters>();

  /** Resources with at least one waiter. */
  get size(): number {
    return this.#byResource.size;
  }

  /** Whether `resource` has a waiter. */
  has(resource: string): boolean {
    return this.#byResource.has(resource);
  }

  /**
   * Registers `wake` as the newest waiter of `resource`. The returned function removes it; it answers false
   * when it was removed already, so an unwatch that runs twice can tell.
   */
  add(resource: string, wake: WakeWaiter): () => boolean {
    let entry = this.#byResource.get(resource);
    if (!entry) {
      entry = { waiters: new Set(), lastRelease: undefined };
      this.#byResource.set(resource, entry);
    }
    // A function of its own per registration, so one callback may wait twice.
    const registration: WakeWaiter = (grant) => wake(grant);
    entry.waiters.add(registration);
    const current = entry;
    return () => {
      if (!current.waiters.delete(registration)) return false;
      if (current.waiters.size === 0 && this.#byResource.get(resource) === current)
        this.#byResource.delete(resource);
      return true;
    };
  }

  /**
   * A plain release of `resource`: wakes its longest-waiting waiter. With a `releaseId`, a release already
   * seen (announced again by another node) wakes nobody.
   */
  wakeOldest(resource: string, releaseId?: string): void {
    const entry = this.#byResource.get(resource);
    if (!entry) return;
    if (releaseId !== undefined) {
      if (entry.lastRelease === releaseId) return;
      entry.lastRelease = releaseId;
    }
    const oldest = entry.waiters.values().next();
    if (!oldest.done) oldest.value();
  }

  /** Wakes every waiter of `resource`, with `grant` when the lock was handed to a token. */
  wakeAll(resource: string, grant?: WatchGrant): void {
    const entry = this.#byResource.get(resource);
    if (!entry) return;
    // A copy: a woken waiter may leave (or a new one arrive) while this runs.
    for (const wake of [...entry.waiters]) wake(grant);
  }
}
