import { closeOwnedClient } from '@redis-locks/core';
import { listKeys, pubsubChannels, startRedis } from '@redis-locks/testing';
import { describe, expect, it } from 'vitest';
import { openClient } from '../clients.js';
import type { SuiteFixture } from '../fixture.js';
import {
  activeTimeouts,
  expectLockError,
  expectLockFailure,
  failureOf,
  forgeLock,
  sleep,
  waitUntil,
} from '../helpers.js';
import { conformanceGroups } from './titles.js';

/** 13. After release and close(): no keys, channels or timers left; closed strategies refuse work. */
export function leftoversGroup(f: SuiteFixture): void {
  describe(conformanceGroups.leftovers, () => {
    it('leaves no active timers once closed, after waits, timeouts and auto-extension', async () => {
      await sleep(10);
      const before = activeTimeouts();
      const strategy = await f.create('shared');
      const held = f.resource('timers-held');
      const holder = await strategy.tryAcquire(held, { ttl: f.t(3000) });
      const waiting = strategy.acquire(held, { ttl: f.t(1000), waitTimeout: f.t(3000) });
      await sleep(f.t(120));
      await holder!.release();
      await (await waiting).release();
      const blocker = await f.other.tryAcquire(f.resource('timers-timeout'), { ttl: f.t(3000) });
      await expectLockFailure(
        () => strategy.acquire(blocker!.resource, { ttl: f.t(1000), waitTimeout: f.t(150) }),
        'LOCK_TIMEOUT',
        'acquire of a held lock',
      );
      await strategy.using(f.resource('timers-extend'), { ttl: f.t(240), autoExtend: true }, () =>
        sleep(f.t(400)),
      );
      const pending = failureOf(() =>
        strategy.acquire(blocker!.resource, { ttl: f.t(1000), waitTimeout: f.t(5000) }),
      );
      await sleep(f.t(50));
      await strategy.close();
      expectLockError(await pending, 'LOCK_CLOSED', 'a wait cut by close()');
      await blocker!.release();
      const settled = await waitUntil(() => activeTimeouts() <= before, f.t(1000));
      expect(settled, `active timers: ${before} before, ${activeTimeouts()} after close()`).toBe(true);
    });

    it('rejects acquire, tryAcquire, extend, inspect and using after close() with LockClosedError', async () => {
      const strategy = await f.create('shared');
      const resource = f.resource('closed');
      const lock = await strategy.tryAcquire(resource, { ttl: f.t(3000) });
      await strategy.close();
      const options = { ttl: f.t(1000), waitTimeout: 0 };
      await expectLockFailure(
        () => strategy.acquire(f.resource('closed'), options),
        'LOCK_CLOSED',
        'acquire',
      );
      await expectLockFailure(
        () => strategy.tryAcquire(f.resource('closed'), options),
        'LOCK_CLOSED',
        'tryAcquire',
      );
      await expectLockFailure(() => strategy.extend(lock!, f.t(1000)), 'LOCK_CLOSED', 'extend');
      await expectLockFailure(() => strategy.inspect(resource), 'LOCK_CLOSED', 'inspect');
      await expectLockFailure(
        () => strategy.using(f.resource('closed'), options, async () => 1),
        'LOCK_CLOSED',
        'using',
      );
      // release after close either still works or refuses with LockClosedError; it never hangs or fails otherwise.
      try {
        expect(['released', 'expired', 'not-owner']).toContain(await strategy.release(lock!));
      } catch (error) {
        expectLockError(error, 'LOCK_CLOSED', 'release after close()');
      }
      await f.strategy.release(forgeLock(resource, { token: lock!.token }));
      expect(await f.strategy.inspect(resource)).toBeNull();
    });

    it('ends a pending wait with LockClosedError when closed, and the waiter never takes the lock', async () => {
      const strategy = await f.create('shared');
      const resource = f.resource('close-waiter');
      const holder = await f.other.tryAcquire(resource, { ttl: f.t(3000) });
      const pending = failureOf(() => strategy.acquire(resource, { ttl: f.t(3000), waitTimeout: f.t(5000) }));
      // When the waiter gave up, not when close() finished tearing its connections down.
      const settledAt = pending.then(() => performance.now());
      await sleep(f.t(100));
      const closedAt = performance.now();
      await strategy.close();
      const error = await pending;
      expect((await settledAt) - closedAt).toBeLessThan(f.t(500));
      expectLockError(error, 'LOCK_CLOSED');
      await holder!.release();
      await sleep(f.t(200));
      expect(await f.strategy.inspect(resource)).toBeNull();
    });

    it('close() settles soon while every node is down, and so does a wait it cuts', async (context) => {
      // Servers of its own, one per node, killed under a strategy with a holder and a waiter.
      const servers = await Promise.all(f.urls.map(() => startRedis()));
      const clients = await Promise.all(servers.map((server) => openClient(f.kind, server.url)));
      try {
        const raw = clients.map((c) => c.client);
        const strategy = await f.target.create({
          kind: f.kind,
          client: raw[0],
          clients: raw,
          namespace: f.namespace,
        });
        const resource = f.resource('down');
        const holder = await strategy.tryAcquire(resource, { ttl: f.t(5000) });
        expect(holder).not.toBeNull();
        const onOurServers = await Promise.all(
          servers.map((server) => listKeys(server.url, `${f.namespace}*`)),
        );
        if (onOurServers.every((keys) => keys.length === 0)) {
          // The target builds its strategies on connections of its own (a Cluster, say), not on these.
          await holder!.release();
          await strategy.close();
          context.skip('the target does not build its strategy on the clients it is given');
        }
        const waiting = failureOf(() =>
          strategy.acquire(resource, { ttl: f.t(1000), waitTimeout: f.t(5000) }),
        );
        await sleep(f.t(100));
        await Promise.all(servers.map((server) => server.kill()));
        const started = performance.now();
        await strategy.close();
        // Nothing may wait for the servers to come back (a QUIT or UNSUBSCRIBE would, forever); a request
        // already on the wire may still be given its per-node timeout.
        expect(performance.now() - started).toBeLessThan(f.t(2500));
        expect(
          await Promise.race([waiting.then(() => 'settled'), sleep(f.t(1000)).then(() => 'pending')]),
        ).toBe('settled');
      } finally {
        // Back up, so the clients can quit (bounded: node-redis may never answer a command lost in the kill).
        await Promise.all(servers.map((server) => server.restart()));
        await Promise.all(clients.map((c) => closeOwnedClient(c.client)));
        await Promise.all(servers.map((server) => server.stop()));
      }
    });

    it('close() is idempotent and never quits the client it was given', async () => {
      const strategy = await f.create('shared');
      const lock = await strategy.tryAcquire(f.resource('close-client'), { ttl: f.t(3000) });
      await lock!.release();
      await strategy.close();
      await strategy.close();
      for (const client of f.clients) expect(await client.ping()).toBe('PONG');
      const still = await f.strategy.tryAcquire(f.resource('close-client'), { ttl: f.t(1000) });
      expect(still, 'another strategy on the same client stopped working').not.toBeNull();
      await still!.release();
    });

    it('leaves no lock keys under the namespace once every lock is released', async () => {
      expect(await f.lockKeys()).toEqual([]);
    });

    it('leaves no pub/sub channels under the namespace once every strategy is closed', async () => {
      await f.closeStrategies();
      for (const url of f.urls) {
        const gone = await waitUntil(
          async () => (await pubsubChannels(url, `${f.namespace}*`)).length === 0,
          f.t(1000),
        );
        expect(gone, `channels left: ${(await pubsubChannels(url, `${f.namespace}*`)).join(', ')}`).toBe(
          true,
        );
      }
    });

    it('leaves only leftoverKeys under the namespace once every strategy is closed', async () => {
      await f.closeStrategies();
      expect(await f.lockKeys()).toEqual([]);
    });
  });
}
