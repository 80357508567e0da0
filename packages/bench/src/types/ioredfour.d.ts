/** Types for ioredfour 1.4.3 (it ships none), as far as the benchmark uses it. */
declare module 'ioredfour' {
  /** Options of the constructor. */
  interface IoredfourOptions {
    /** A URL, ioredis options, or an ioredis client (then it duplicates it for the subscriber). */
    redis: unknown;
    namespace?: string;
    /** Replicas that must acknowledge an acquire (WAIT), 0 = off. */
    minReplications?: number;
    /** Longest WAIT, in ms. */
    replicationTimeout?: number;
  }

  /** An ioredfour lock factory (promise API). */
  class Lock {
    constructor(options: IoredfourOptions);
    acquireLock(id: string, ttl: number): Promise<Lock.IoredfourLock>;
    waitAcquireLock(id: string, lockTtl: number, waitTtl: number): Promise<Lock.IoredfourLock>;
    releaseLock(lock: Lock.IoredfourLock): Promise<{ success: boolean; result: string }>;
    /** The subscriber connection it created. */
    _redisSubscriber: { on(event: 'message', listener: () => void): void; disconnect(): void };
    _redisConnection: { disconnect(): void };
  }
  namespace Lock {
    /** A lock as ioredfour returns it. */
    interface IoredfourLock {
      readonly id: string;
      readonly success: boolean;
      readonly index: number;
      readonly ttl: number;
      /** Set when WAIT did not confirm `minReplications` within `replicationTimeout`. */
      readonly replicationFailure?: boolean;
    }
  }
  export = Lock;
}
