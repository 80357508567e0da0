import type { RedisAdapter } from '@redis-locks/core';
import type { RoundTripCounter } from './round-trip-counter.js';

/**
 * A RedisAdapter that forwards to `inner` and counts every `evalScript` call: all Redis I/O of our strategies
 * goes through it, so the count is their client round trips (after warm-up the scripts are cached, so no
 * EVALSHA→NOSCRIPT→EVAL retry hides a second round trip; the server command counts would show one). A
 * WAIT-guarded write (`evalScriptAndWait`) counts 2 when WAIT was sent (script, then WAIT), else 1.
 */
export function countingAdapter(inner: RedisAdapter, counter: RoundTripCounter): RedisAdapter {
  const adapter: RedisAdapter = {
    kind: `counting(${inner.kind})`,
    isCluster: inner.isCluster,
    evalScript(script, keys, args) {
      counter.count++;
      return inner.evalScript(script, keys, args);
    },
    subscribe(channel, listener, options) {
      counter.count++;
      return inner.subscribe(channel, listener, options);
    },
    close: () => inner.close(),
  };
  const evalScriptAndWait = inner.evalScriptAndWait?.bind(inner);
  if (!evalScriptAndWait) return adapter;
  return {
    ...adapter,
    async evalScriptAndWait(script, keys, args, options) {
      const result = await evalScriptAndWait(script, keys, args, options);
      counter.count += result.acknowledged === undefined ? 1 : 2;
      return result;
    },
  };
}
