import type { RedisAdapter } from '@redis-locks/core';

/**
 * A RedisAdapter that forwards to `inner` and stamps (`process.hrtime.bigint()`) every message delivered to a
 * subscription — the release notifications (and direct grants) of our strategies, to tell hand-offs completed
 * by a notification from those completed by a fallback or poll timer — and every acquire attempt (a script
 * whose name ends in `_acquire`), for the retry-spread scenario.
 */
export function notingAdapter(
  inner: RedisAdapter,
  notifications: bigint[],
  attempts: bigint[],
): RedisAdapter {
  const evalScriptAndWait = inner.evalScriptAndWait?.bind(inner);
  return {
    ...(evalScriptAndWait ? { evalScriptAndWait } : {}),
    kind: `noting(${inner.kind})`,
    isCluster: inner.isCluster,
    evalScript(script, keys, args) {
      if (script.name.endsWith('_acquire')) attempts.push(process.hrtime.bigint());
      return inner.evalScript(script, keys, args);
    },
    subscribe(channel, listener, options) {
      return inner.subscribe(
        channel,
        (...message: Parameters<typeof listener>) => {
          notifications.push(process.hrtime.bigint());
          listener(...message);
        },
        options,
      );
    },
    close: () => inner.close(),
  };
}
