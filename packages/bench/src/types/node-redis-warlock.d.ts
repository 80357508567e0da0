/** Types for node-redis-warlock 1.0.2 (it ships none), as far as the benchmark uses it. */
declare module 'node-redis-warlock' {
  /** Releases the lock it was handed out with; `result` is 1 when deleted, 0 otherwise. */
  type Unlock = (cb: (err: Error | null, result?: number) => void) => void;

  /** The object returned by the factory. */
  interface Warlock {
    /** `SET <key>:lock <id> PX ttl NX`; `unlock` is a function when obtained, `false` when held. */
    lock(
      key: string,
      ttl: number,
      cb: (err: Error | null, unlock?: Unlock | false, id?: string) => void,
    ): string;
    /** Retries `lock` up to `maxAttempts` times, `wait` ms apart; an error after the last failed attempt. */
    optimistic(
      key: string,
      ttl: number,
      maxAttempts: number,
      wait: number,
      cb: (err: Error | null, unlock?: Unlock | false) => void,
    ): void;
  }

  /** Creates a warlock over a callback-style Redis client (node-redis 3 or ioredis). */
  function warlock(redis: unknown): Warlock;
  export = warlock;
}
