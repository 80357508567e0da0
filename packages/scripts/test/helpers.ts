import { uniqueKey } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import type { LuaScript } from '../src/index.js';

/** URL of the one Redis this test process uses (resolved by @redis-locks/testing's globalSetup). */
export function redisUrl(): string {
  return inject('redisUrl');
}

/** A fresh ioredis connection; the caller quits it. */
export function connect(): Redis {
  return new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
}

/** SCRIPT LOAD the source and assert Redis computes the same sha1 as the generator. */
export async function loadAndCheckSha(redis: Redis, script: LuaScript): Promise<void> {
  const sha = await redis.script('LOAD', script.source);
  expect(sha).toBe(script.sha1);
}

/** EVALSHA with the generated sha1 (the script is loaded in beforeAll). */
export function run(
  redis: Redis,
  script: LuaScript,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  return redis.evalsha(script.sha1, keys.length, ...keys, ...args);
}

/** Unique keys of one lock, sharing a hash tag as every layout in this project does. */
export function lockKeys(label: string): { tag: string; lock: string; fence: string; channel: string } {
  const base = uniqueKey(`scripts:${label}`);
  const tag = base.includes('{') && base.includes('}') ? base : `{${base}}`;
  return { tag, lock: `${tag}:lock`, fence: `${tag}:fence`, channel: `${tag}:released` };
}

/**
 * Asserts a PTTL reply lies in (expected - slack, expected]. The default slack tolerates a loaded 2-core CI
 * machine, yet stays well below the gap between the ttls any one test tells apart (≥ 1.5 s).
 */
export function expectPttl(pttl: unknown, expected: number, slack = 400): void {
  expect(typeof pttl).toBe('number');
  expect(pttl as number).toBeLessThanOrEqual(expected);
  expect(pttl as number).toBeGreaterThan(expected - slack);
}

/** A subscription on its own connection that queues messages of one channel. */
export interface Subscription {
  /** Resolves with the next message, or rejects after `timeoutMs` (bounded wait). */
  next(timeoutMs?: number): Promise<string>;
  /** Messages received and not yet taken by `next`. */
  readonly pending: readonly string[];
  close(): Promise<void>;
}

/** Subscribes (SUBSCRIBE, or SSUBSCRIBE when `sharded`) a second connection to `channel`. */
export async function subscribe(channel: string, sharded = false): Promise<Subscription> {
  const sub = connect();
  const queue: string[] = [];
  let waiter: ((message: string) => void) | undefined;
  const onMessage = (received: string, message: string) => {
    if (received !== channel) return;
    if (waiter) {
      const resolve = waiter;
      waiter = undefined;
      resolve(message);
    } else {
      queue.push(message);
    }
  };
  if (sharded) {
    sub.on('smessage', onMessage);
    await sub.ssubscribe(channel);
  } else {
    sub.on('message', onMessage);
    await sub.subscribe(channel);
  }
  return {
    pending: queue,
    next(timeoutMs = 2000) {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error(`no message on ${channel} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiter = (message) => {
          clearTimeout(timer);
          resolve(message);
        };
      });
    },
    async close() {
      sub.removeAllListeners('message');
      sub.removeAllListeners('smessage');
      await sub.quit();
    },
  };
}

/** What {@link useScriptFixture} gives a test file. */
export interface ScriptFixture {
  /** One connection for the file, quit after its last test. */
  readonly redis: Redis;
  /** Keys to delete after the current test. */
  readonly created: string[];
  /** {@link subscribe}, closed after the current test. */
  listen(channel: string, sharded?: boolean): Promise<Subscription>;
}

/**
 * The hooks every script test file needs: one connection with `scripts` loaded (and their sha1 checked)
 * before the first test, the keys and subscriptions of each test cleaned up after it.
 */
export function useScriptFixture(...scripts: LuaScript[]): ScriptFixture {
  const redis = connect();
  const created: string[] = [];
  const subscriptions: Subscription[] = [];
  beforeAll(async () => {
    for (const script of scripts) await loadAndCheckSha(redis, script);
  });
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
    if (created.length) await redis.del(...created.splice(0));
  });
  afterAll(async () => {
    await redis.quit();
  });
  return {
    redis,
    created,
    async listen(channel, sharded = false) {
      const subscription = await subscribe(channel, sharded);
      subscriptions.push(subscription);
      return subscription;
    },
  };
}
