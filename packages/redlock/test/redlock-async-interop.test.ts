import { type Nodes, OverlapChecker, startNodes, uniqueKey } from '@redis-locks/testing';
import type { Redis } from 'ioredis';
import OriginalRedlock from 'redlock-async';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Redlock from '../src/redlock-async.js';
import { ioredis, quit, sleep } from './helpers.js';

// The real redlock-async 3.1.2-fix.2 and the drop-in on the same three nodes, as during a rolling migration.
let nodes: Nodes;
let clients: Redis[];

beforeAll(async () => {
  nodes = await startNodes(3);
  clients = nodes.nodes.map((n) => ioredis(n.url));
}, 60_000);

afterAll(async () => {
  // The original's quit() quits nothing, so the test quits the clients itself.
  await Promise.all(clients.map(quit));
  await nodes?.stop();
});

describe('redlock-async drop-in interoperates with the original', () => {
  it('the drop-in is refused while the original holds a resource, and gets it after the original unlocks', async () => {
    const original = new OriginalRedlock(clients, { retryCount: 0 });
    const dropIn = new Redlock(clients, { retryCount: 0 });
    const resource = uniqueKey('interop-a');
    const held = await original.lock(resource, 5000);
    await expect(dropIn.lock(resource, 1000)).rejects.toThrow(
      `Exceeded 0 attempts to lock the resource "${resource}".`,
    );
    await held.unlock();
    const lock = await dropIn.lock(resource, 1000);
    await lock.unlock();
  });

  it('the original is refused while the drop-in holds a resource, and gets it after the drop-in unlocks', async () => {
    const original = new OriginalRedlock(clients, { retryCount: 0 });
    const dropIn = new Redlock(clients, { retryCount: 0 });
    const resource = uniqueKey('interop-b');
    const held = await dropIn.lock(resource, 5000);
    const error = (await original.lock(resource, 1000).catch((e) => e)) as Error;
    expect(error).toBeInstanceOf(OriginalRedlock.LockError);
    // The original's failed attempt cleaned up only its own value: ours is intact on every node.
    expect(await Promise.all(clients.map((c) => c.get(resource)))).toEqual([
      held.value,
      held.value,
      held.value,
    ]);
    await held.unlock();
    const lock = await original.lock(resource, 1000);
    await lock.unlock();
    expect(await Promise.all(clients.map((c) => c.exists(resource)))).toEqual([0, 0, 0]);
  });

  it('each side can extend its own lock while the other is refused', async () => {
    const original = new OriginalRedlock(clients, { retryCount: 0 });
    const dropIn = new Redlock(clients, { retryCount: 0 });
    const resource = uniqueKey('interop-extend');
    const held = await original.lock(resource, 300);
    await held.extend(5000);
    await sleep(400);
    await expect(dropIn.lock(resource, 1000)).rejects.toThrow(/Exceeded 0 attempts/);
    await held.unlock();
  });

  it('never grants a resource to both at once under contention', async () => {
    const checker = new OverlapChecker();
    const resource = uniqueKey('interop-stress');
    const contenders = [
      ...[0, 1].map((i) => ({
        name: `original-${i}`,
        redlock: new OriginalRedlock(clients, { retryCount: -1, retryDelay: 5, retryJitter: 5 }),
      })),
      ...[0, 1].map((i) => ({
        name: `drop-in-${i}`,
        redlock: new Redlock(clients, { retryCount: -1, retryDelay: 5, retryJitter: 5 }),
      })),
    ];
    const counts = new Map<string, number>();
    const until = performance.now() + 1500;
    await Promise.all(
      contenders.map(async ({ name, redlock }) => {
        while (performance.now() < until) {
          const lock = await (redlock as Redlock).lock(resource, 1000);
          checker.acquired(resource, name);
          counts.set(name, (counts.get(name) ?? 0) + 1);
          await sleep(Math.random() * 3);
          checker.released(resource, name);
          await lock.unlock();
        }
      }),
    );
    checker.assertNoOverlap();
    expect(counts.get('original-0')! + counts.get('original-1')!).toBeGreaterThan(5);
    expect(counts.get('drop-in-0')! + counts.get('drop-in-1')!).toBeGreaterThan(5);
    expect(await Promise.all(clients.map((c) => c.exists(resource)))).toEqual([0, 0, 0]);
  });
});
