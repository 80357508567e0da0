import type { LuaScript } from '@redis-locks/scripts';
import type { RedisAdapter } from './types.js';

/** Hooks of {@link observeAdapter}; each is optional and must not throw. */
export interface AdapterObserver {
  /** Before each script round trip (also the write of a WAIT-guarded write). */
  onScript?(script: LuaScript, keys: readonly string[]): void;
  /** After a WAIT round trip, with the replicas that acknowledged. */
  onWait?(acknowledged: number): void;
  /** When `close()` is called on the observed adapter. */
  onClose?(): void;
}

/**
 * Wraps an adapter so the hooks hear of every round trip it makes: for metrics, tracing, tests and
 * benchmarks. Everything else is forwarded unchanged; `close()` closes `inner` too.
 */
export function observeAdapter(inner: RedisAdapter, observer: AdapterObserver): RedisAdapter {
  const observed: RedisAdapter = {
    kind: inner.kind,
    isCluster: inner.isCluster,
    evalScript(script, keys, args) {
      observer.onScript?.(script, keys);
      return inner.evalScript(script, keys, args);
    },
    subscribe: (channel, listener, options) => inner.subscribe(channel, listener, options),
    close() {
      observer.onClose?.();
      return inner.close();
    },
  };
  const evalScriptAndWait = inner.evalScriptAndWait?.bind(inner);
  if (evalScriptAndWait) {
    observed.evalScriptAndWait = async (script, keys, args, options) => {
      observer.onScript?.(script, keys);
      const result = await evalScriptAndWait(script, keys, args, options);
      if (result.acknowledged !== undefined) observer.onWait?.(result.acknowledged);
      return result;
    };
  }
  return observed;
}
