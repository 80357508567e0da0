/** How a subject's waiters learn that the lock was released. */
export type Wakeup = 'blpop' | 'pubsub' | 'grant' | 'poll';

/** A held lock of a {@link OpenContended}. */
export interface HeldLock {
  /** Releases it; rejects if the release fails, resolves false if the lock had been lost. */
  release(): Promise<boolean>;
}

/** A subject opened inside one process: any number of concurrent acquires, on any resources. */
export interface OpenContended {
  /**
   * Waits (up to `waitTimeoutMs`) until `resource` is held by this caller. Subjects that can be cancelled reject
   * once `signal` aborts (the end of a contention run); the others ignore it and finish their wait.
   */
  acquire(resource: string, waitTimeoutMs: number, signal?: AbortSignal): Promise<HeldLock>;
  /** One attempt: the lock, or null when someone else holds it. */
  tryAcquire(resource: string): Promise<HeldLock | null>;
  /**
   * `process.hrtime.bigint()` of every release notification this process received (pub/sub message,
   * BLPOP wake, direct grant); absent when the subject has no notifications we can observe.
   */
  readonly notifications?: bigint[];
  /** `process.hrtime.bigint()` of every acquire attempt sent, when the subject exposes them (our strategies). */
  readonly attempts?: bigint[];
  /** Closes the connections and timers `open` created. */
  close(): Promise<void>;
}

/** Settings every subject gets, so all wait on equal terms. */
export interface ContendedOptions {
  /** Redis URLs; single-node subjects use the first. */
  readonly urls: readonly string[];
  /** Lock ttl in ms. */
  readonly ttlMs: number;
}

/** A lock implementation measured under contention (hand-off, K contenders): floor, ours or a peer. */
export interface ContendedSubject {
  /** Unique name, also how worker processes find it in the registry. */
  readonly name: string;
  /** `floor` (ratios are to it), `reference` (another raw-client design), `ours` or `peer`. */
  readonly kind: 'floor' | 'reference' | 'ours' | 'peer';
  /** How its waiters wake up. */
  readonly wakeup: Wakeup;
  /** What it sends and how it waits, one line for the README and the report. */
  readonly notes: string;
  /** Connects and prepares; called inside a worker process. */
  open(options: ContendedOptions): Promise<OpenContended>;
}
