import type { RoundTripCounter } from './round-trip-counter.js';

/** The ioredis command methods the raw floor and node-redis-warlock call. */
const COUNTED_COMMANDS = new Set(['set', 'get', 'del', 'eval', 'evalsha', 'script', 'pexpire', 'pttl']);

/**
 * A Proxy over an ioredis client that counts calls of Redis command methods (promise or callback style) and
 * forwards everything else: the round-trip count of libraries that take a client rather than an adapter.
 */
export function countingIoredis<T extends object>(client: T, counter: RoundTripCounter): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && COUNTED_COMMANDS.has(property)) {
        return (...args: unknown[]) => {
          counter.count++;
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}
