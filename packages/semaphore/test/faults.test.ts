import { pubsubChannels, startRedis, uniqueKey } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSemaphore } from '../src/index.js';
import { sleep } from './helpers.js';

type Server = Awaited<ReturnType<typeof startRedis>>;

/** Polls `check` every 25 ms for up to `ms`; resolves whether it became true. */
async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(25);
  }
  return check();
}

describe('fault: lost notification (the subscriber connection is killed)', () => {
  // A server of its own: CLIENT KILL TYPE pubsub would disturb other test files on the shared one.
  let server: Server;
  let admin: Redis;
  beforeAll(async () => {
    server = await startRedis();
    admin = new Redis(server.url);
  }, 30_000);
  afterAll(async () => {
    await admin?.quit();
    await server?.stop();
  });

  const clients = {
    ioredis: async () => {
      const client = new Redis(server.url);
      client.on('error', () => undefined);
      return { client, close: async () => void (await client.quit()) };
    },
    'node-redis': async () => {
      const client = createClient({ url: server.url });
      client.on('error', () => undefined);
      await client.connect();
      return { client, close: () => client.close() };
    },
  };

  for (const fair of [false, true]) {
    it.each(Object.keys(clients) as (keyof typeof clients)[])(
      `every waiter still acquires within the fallback bound, and the subscription comes back (%s, fair: ${fair})`,
      async (kind) => {
        const fallbackInterval = 800;
        const { client, close } = await clients[kind]();
        const namespace = uniqueKey('lost');
        const waiters = createSemaphore({ client, namespace, fair, fallbackInterval });
        const holders = createSemaphore({ client, namespace, fair });
        try {
          // A waiter that outlives the test keeps the namespace channel subscribed (standalone: one channel).
          const idleHolder = await holders.acquire('idle', { ttl: 10_000 });
          const idle = waiters.acquire('idle', { ttl: 1000, waitTimeout: 9000 });
          const holder = await holders.acquire('r', { ttl: 10_000 });
          const pending = [1, 2, 3].map(() =>
            waiters.acquire('r', { ttl: 2000, waitTimeout: 8000 }).then(async (lock) => {
              const at = performance.now();
              await lock.release();
              return at;
            }),
          );
          await sleep(100);
          const killed = Number(await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub'));
          expect(killed).toBeGreaterThanOrEqual(1);
          const releasedAt = performance.now();
          await holder.release();
          const times = await Promise.all(pending);
          // The first re-check comes within one fallbackInterval, the others at most one more behind it.
          for (const at of times) expect(at - releasedAt).toBeLessThan(2 * fallbackInterval + 500);

          const channel = waiters.keysOf('r').channel;
          const back = await waitUntil(
            async () => (await pubsubChannels(server.url)).includes(channel),
            5000,
          );
          expect(back, 'the subscription did not come back').toBe(true);
          // Notifications work again: a release wakes the next waiter well before the fallback re-check.
          const again = await holders.acquire('r', { ttl: 10_000 });
          const waiting = waiters.acquire('r', { ttl: 1000, waitTimeout: 5000 });
          await sleep(100);
          const started = performance.now();
          await again.release();
          await (await waiting).release();
          expect(performance.now() - started).toBeLessThan(fallbackInterval - 200);

          await idleHolder.release();
          await (await idle).release();
        } finally {
          await Promise.all([waiters.close(), holders.close()]);
          await close();
        }
      },
    );
  }
});
