/** Types for redlock-async 3.1.2-fix.2 and redlock 4.2.0 (neither ships types), as far as the benchmark uses them. */
declare module 'redlock-async' {
  /** Options of both libraries. */
  interface RedlockPeerOptions {
    driftFactor?: number;
    retryCount?: number;
    retryDelay?: number;
    retryJitter?: number;
  }
  /** A held lock. */
  interface RedlockPeerLock {
    unlock(): Promise<unknown>;
  }
  /** Redlock over ioredis clients (promise API). */
  class Redlock {
    constructor(clients: unknown[], options?: RedlockPeerOptions);
    lock(resource: string, ttl: number): Promise<RedlockPeerLock>;
    on(event: 'clientError', listener: (error: Error) => void): void;
  }
  export = Redlock;
}

declare module 'redlock' {
  /** Redlock 4 over ioredis clients; without a callback every method returns a (bluebird) promise. */
  class Redlock {
    constructor(
      clients: unknown[],
      options?: { retryCount?: number; retryDelay?: number; retryJitter?: number },
    );
    lock(resource: string, ttl: number): Promise<{ unlock(): Promise<unknown> }>;
    on(event: 'clientError', listener: (error: Error) => void): void;
  }
  export = Redlock;
}
