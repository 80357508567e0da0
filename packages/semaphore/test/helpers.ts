import { type RedisAdapter, toAdapter } from '@redis-locks/core';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** URL of the Redis of this test run. */
export const redisUrl = (): string => inject('redisUrl');

/** A fresh ioredis client on the test Redis; the caller quits it. */
export function connect(url = redisUrl()): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 2 });
  client.on('error', () => undefined);
  return client;
}

/** One script call seen by {@link countingAdapter}. */
export interface ScriptCall {
  readonly script: string;
  readonly keys: readonly string[];
}

/**
 * Wraps a client's adapter to record every script call and every message its subscriptions deliver (and
 * close the inner adapter on close).
 */
export function countingAdapter(client: unknown): {
  adapter: RedisAdapter;
  calls: ScriptCall[];
  messages: string[];
} {
  const inner = toAdapter(client);
  const calls: ScriptCall[] = [];
  const messages: string[] = [];
  const adapter: RedisAdapter = {
    kind: 'counting',
    isCluster: inner.isCluster,
    evalScript: (script, keys, args) => {
      calls.push({ script: script.name, keys });
      return inner.evalScript(script, keys, args);
    },
    subscribe: (channel, listener, options) =>
      inner.subscribe(
        channel,
        (message) => {
          messages.push(message);
          listener(message);
        },
        options,
      ),
    evalScriptAndWait: (script, keys, args, options) => {
      calls.push({ script: script.name, keys });
      return inner.evalScriptAndWait!(script, keys, args, options);
    },
    close: () => inner.close(),
  };
  return { adapter, calls, messages };
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
