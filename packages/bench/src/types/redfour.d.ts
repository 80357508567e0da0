/** Types for redfour 1.0.5 (it ships none), as far as the benchmark uses it. */
declare module 'redfour' {
  /** Options of the constructor: a URL (it creates its own node_redis 2 connections). */
  interface RedfourOptions {
    redis: string;
    namespace?: string;
  }

  /** A redfour lock factory (callback API). */
  class Lock {
    constructor(options: RedfourOptions);
    acquireLock(id: string, ttl: number, done: (err: Error | null, lock: Lock.RedfourLock) => void): void;
    waitAcquireLock(
      id: string,
      lockTtl: number,
      waitTtl: number,
      done: (err: Error | null, lock: Lock.RedfourLock) => void,
    ): void;
    releaseLock(
      lock: Lock.RedfourLock,
      done: (err: Error | null, result: { success: boolean; result: string }) => void,
    ): void;
    /** The node_redis 2 connections it created. */
    _redisConnection: { quit(): void; end(flush: boolean): void };
    _redisSubscriber: {
      on(event: 'message', listener: () => void): void;
      quit(): void;
      end(flush: boolean): void;
    };
  }
  namespace Lock {
    /** A lock as redfour returns it. */
    interface RedfourLock {
      readonly id: string;
      readonly success: boolean;
      readonly index: number;
      readonly ttl: number;
    }
  }
  export = Lock;
}
