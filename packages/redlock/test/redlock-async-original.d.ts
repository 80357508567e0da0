// The original redlock-async ships no types; the interop test only needs this much of it.
declare module 'redlock-async' {
  import { EventEmitter } from 'node:events';

  class Redlock extends EventEmitter {
    constructor(clients: unknown[], options?: Record<string, unknown>);
    lock(resource: string, ttl: number): Promise<Redlock.Lock>;
    unlock(lock: Redlock.Lock): Promise<void>;
    extend(lock: Redlock.Lock, ttl: number): Promise<Redlock.Lock>;
  }
  namespace Redlock {
    class Lock {
      resource: string;
      value: string;
      expiration: number;
      attempts: number;
      unlock(): Promise<void>;
      extend(ttl: number): Promise<Lock>;
    }
    class LockError extends Error {
      attempts: number;
    }
  }
  export = Redlock;
}
