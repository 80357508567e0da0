import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ChaosProxy, createChaosProxy, uniqueKey } from '../src/index.js';

const url = inject('redisUrl');
const target = { host: new URL(url).hostname, port: Number(new URL(url).port || 6379) };

const clients: Redis[] = [];
function client(u: string, opts: RedisOptions = {}): Redis {
  const c = new Redis(u, { maxRetriesPerRequest: 0, ...opts });
  c.on('error', () => {});
  clients.push(c);
  return c;
}

let proxy: ChaosProxy;
let direct: Redis;
beforeAll(async () => {
  direct = new Redis(url);
});
afterAll(async () => {
  await direct.quit();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await proxy?.close();
});

async function rtt(c: Redis): Promise<number> {
  const t0 = performance.now();
  await c.ping();
  return performance.now() - t0;
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ChaosProxy', () => {
  it('is transparent by default and counts connections', async () => {
    proxy = await createChaosProxy(target);
    expect(proxy.host).toBe('127.0.0.1');
    expect(proxy.url).toBe(`redis://127.0.0.1:${proxy.port}`);
    expect(proxy.connections).toBe(0);
    const c = client(proxy.url);
    const key = uniqueKey('px');
    await c.set(key, 'v', 'PX', 5000);
    expect(await c.get(key)).toBe('v');
    expect(proxy.connections).toBe(1);
    c.disconnect();
    await until(() => proxy.connections === 0);
  });

  it('setDelay adds the delay in both directions and keeps order under jitter', async () => {
    proxy = await createChaosProxy(target);
    const c = client(proxy.url);
    await c.ping();
    proxy.setDelay(100);
    expect(await rtt(c)).toBeGreaterThanOrEqual(2 * 100 - 50);
    proxy.setDelay(5, 30);
    const key = uniqueKey('order');
    const replies = await Promise.all(Array.from({ length: 40 }, () => c.incr(key)));
    expect(replies).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await direct.del(key);
    proxy.heal();
    expect(await rtt(c)).toBeLessThan(1000);
  });

  it('blackhole holds bytes so commands time out; heal delivers them on the same connection', async () => {
    proxy = await createChaosProxy(target);
    const c = client(proxy.url, { commandTimeout: 300 });
    await c.ping();
    const key = uniqueKey('bh');
    proxy.blackhole(true);
    await expect(c.set(key, '1', 'PX', 5000)).rejects.toThrow(/timed out/i);
    expect(await direct.exists(key)).toBe(0);
    expect(proxy.connections).toBe(1);
    // new connections are accepted but nothing flows either
    const late = client(proxy.url, { commandTimeout: 300, enableReadyCheck: false });
    await expect(late.ping()).rejects.toThrow(/timed out/i);
    expect(proxy.connections).toBe(2);
    proxy.heal();
    await until(async () => (await direct.exists(key)) === 1);
    await direct.del(key);
  });

  it('resetAll drops every connection and ioredis reconnects', async () => {
    proxy = await createChaosProxy(target);
    const c = client(proxy.url, { maxRetriesPerRequest: 3, retryStrategy: () => 10 });
    await c.ping();
    const firstId = await c.client('ID');
    let reconnects = 0;
    c.on('reconnecting', () => reconnects++);
    proxy.resetAll();
    await until(() => reconnects > 0);
    expect(await c.ping()).toBe('PONG');
    expect(await c.client('ID')).not.toBe(firstId);
    expect(proxy.connections).toBe(1);
  });

  it('dropReplies loses the replies while the commands still execute', async () => {
    proxy = await createChaosProxy(target);
    const c = client(proxy.url, { commandTimeout: 300 });
    await c.ping();
    const key = uniqueKey('dr');
    proxy.dropReplies(true);
    await expect(c.set(key, 'x', 'PX', 5000)).rejects.toThrow(/timed out/i);
    expect(await direct.get(key)).toBe('x');
    expect(proxy.connections).toBe(1);
    proxy.heal();
    await direct.del(key);
  });

  it('dropNextReply loses one reply, resets that connection, and the command still ran', async () => {
    proxy = await createChaosProxy(target);
    const c = client(proxy.url, { retryStrategy: () => 10 });
    await c.ping();
    const key = uniqueKey('dn');
    proxy.dropNextReply();
    await expect(c.incr(key)).rejects.toThrow();
    expect(await direct.get(key)).toBe('1');
    // only one reply is dropped: after the reconnect the connection works again
    await until(() => c.status === 'ready');
    expect(await c.incr(key)).toBe(2);
    await direct.del(key);
  });

  it('close() closes the listener and every connection', async () => {
    const p = await createChaosProxy(target);
    const c = client(p.url, { retryStrategy: () => null });
    await c.ping();
    const closed = new Promise((r) => c.once('end', r));
    await p.close();
    await closed;
    expect(p.connections).toBe(0);
    proxy = p;
  });
});
