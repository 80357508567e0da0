import { lockAcquire, lockRelease } from '@redis-locks/scripts';
import { startReplicated, uniqueKey } from '@redis-locks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAdapter } from '../src/index.js';
import { clientKinds, connect } from './clients.js';

type Replicated = Awaited<ReturnType<typeof startReplicated>>;

const acquired = (reply: unknown) => Array.isArray(reply) && Number(reply[0]) === 1;

describe.each(clientKinds)('evalScriptAndWait over %s', (kind) => {
  let topology: Replicated;
  let connection: Awaited<ReturnType<typeof connect>>;

  beforeAll(async () => {
    topology = await startReplicated({ replicas: 1, viaProxy: true });
    connection = await connect(kind, topology.primary.url);
  }, 60_000);
  afterAll(async () => {
    await connection?.close();
    await topology?.stop();
  });

  it('sends WAIT after a write that happened and reports the acknowledgements', async () => {
    const adapter = toAdapter(connection.client);
    const key = uniqueKey('wait');
    try {
      const result = await adapter.evalScriptAndWait!(lockAcquire, [key], ['tok', 5000], {
        replicas: 1,
        timeout: 2000,
        shouldWait: acquired,
      });
      expect(result).toEqual({ reply: [1, 0], acknowledged: 1 });
      const refused = await adapter.evalScriptAndWait!(lockAcquire, [key], ['other', 5000], {
        replicas: 1,
        timeout: 2000,
        shouldWait: acquired,
      });
      expect(refused.acknowledged).toBeUndefined();
      expect(await adapter.evalScript(lockRelease, [key], ['tok'])).toBe(1);
    } finally {
      await adapter.close();
    }
  });

  it('reports 0 acknowledgements when the replica link is cut, without blocking the user client', async () => {
    const adapter = toAdapter(connection.client);
    const key = uniqueKey('wait-cut');
    topology.proxies[0]!.blackhole(true);
    try {
      const waiting = adapter.evalScriptAndWait!(lockAcquire, [key], ['tok', 5000], {
        replicas: 1,
        timeout: 600,
        shouldWait: acquired,
      });
      // WAIT runs on a dedicated connection: the caller's own client keeps answering meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = performance.now();
      expect(await connection.raw('PING')).toBe('PONG');
      expect(performance.now() - started).toBeLessThan(300);
      const result = await waiting;
      expect(result.acknowledged).toBe(0);
      expect(await adapter.evalScript(lockRelease, [key], ['tok'])).toBe(1);
    } finally {
      topology.proxies[0]!.heal();
      await adapter.close();
    }
  });

  it('rejects a WAIT timeout of 0, which would block forever', async () => {
    const adapter = toAdapter(connection.client);
    await expect(
      adapter.evalScriptAndWait!(lockAcquire, [uniqueKey('w0')], ['t', 1000], {
        replicas: 1,
        timeout: 0,
        shouldWait: acquired,
      }),
    ).rejects.toThrow(/timeout must be a positive integer/);
    await adapter.close();
  });
});
