/** A subscription a strategy opens for its waiters (to a channel, or to a resource on every node). */
export interface SharedSubscription {
  /** A subscribe request was refused: the next waiter subscribes afresh instead of joining this one. */
  readonly failed: boolean;
  /** Unsubscribes. Must settle, never reject, and within a bounded time (close() waits for it). */
  end(): Promise<void>;
}

interface Entry<S> {
  readonly subscription: S;
  /** Leaves to come: waiters that joined this key and have not left. */
  users: number;
  /** Set while nobody uses the subscription: ends it when it fires, unless a waiter joins first. */
  linger?: ReturnType<typeof setTimeout>;
}

/**
 * A strategy instance's subscriptions by key (a channel, or a resource), shared by its waiters and kept
 * `lingerMs` after the last one left. Contention comes in bursts: the next waiter then listens before its
 * first attempt, and neither pays a SUBSCRIBE round trip nor sends an UNSUBSCRIBE on the hand-off path.
 * A refused subscription is replaced on the next join; close() ends every subscription and waits for it.
 */
export class LingeringSubscriptions<S extends SharedSubscription> {
  readonly #entries = new Map<string, Entry<S>>();
  /** Subscriptions being ended; close() waits for them. */
  readonly #ending = new Set<Promise<void>>();

  constructor(private readonly lingerMs: number) {}

  /** The subscription of `key` waiters would join now, if any. */
  get(key: string): S | undefined {
    return this.#entries.get(key)?.subscription;
  }

  /**
   * Joins the subscription of `key`, opening it with `open()` when there is none or it failed. Returns the
   * subscription and a `leave` to call once; after the last leave the subscription lingers, then ends.
   */
  join(key: string, open: () => S): { subscription: S; leave: () => void } {
    let entry = this.#entries.get(key);
    if (!entry || entry.subscription.failed) {
      const stale = entry;
      // The stale entry's waiters are still to leave: they count against the new one, which serves them too.
      entry = { subscription: open(), users: stale?.users ?? 0 };
      this.#entries.set(key, entry);
      if (stale) this.#end(stale);
    }
    clearTimeout(entry.linger);
    entry.linger = undefined;
    entry.users++;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      this.#leave(key);
    };
    return { subscription: entry.subscription, leave };
  }

  /** Ends every subscription at once and waits until all of them ended. */
  async close(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) this.#end(entry);
    await Promise.all([...this.#ending]);
  }

  #leave(key: string): void {
    const entry = this.#entries.get(key);
    // Gone: close() ended it already.
    if (!entry || --entry.users > 0) return;
    if (entry.subscription.failed) {
      this.#drop(key, entry);
      return;
    }
    entry.linger = setTimeout(() => this.#drop(key, entry), this.lingerMs);
    entry.linger.unref();
  }

  #drop(key: string, entry: Entry<S>): void {
    if (this.#entries.get(key) !== entry || entry.users > 0) return;
    this.#entries.delete(key);
    this.#end(entry);
  }

  #end(entry: Entry<S>): void {
    clearTimeout(entry.linger);
    const ending = entry.subscription.end().finally(() => this.#ending.delete(ending));
    this.#ending.add(ending);
  }
}
