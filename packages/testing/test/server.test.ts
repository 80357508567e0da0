import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { lastCommandOf, type RedisServer, resolveRedis, startRedis, uniqueKey } from '../src/index.js';
import type { LocalRedisServer } from '../src/server.js';
import { redisGlobalSetupPath, redisTestConfig } from '../src/vitest.js';

const clients: Redis[] = [];
function client(url: string, opts: { commandTimeout?: number } = {}): Redis {
  const c = new Redis(url, { maxRetriesPerRequest: 0, ...opts });
  c.on('error', () => {});
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('global setup', () => {
  it('provides a working redisUrl', async () => {
    const url = inject('redisUrl');
    expect(url).toMatch(/^redis:\/\//);
    expect(await client(url).ping()).toBe('PONG');
  });

  it('redisTestConfig points at the global setup next to the module', () => {
    const cfg = redisTestConfig({ timeout: 1234 });
    expect(cfg.test.testTimeout).toBe(1234);
    expect(cfg.test.hookTimeout).toBe(30000);
    expect(cfg.test.globalSetup).toEqual([redisGlobalSetupPath()]);
    expect(existsSync(cfg.test.globalSetup[0]!)).toBe(true);
    expect(redisTestConfig().test.testTimeout).toBe(20000);
  });
});

describe('startRedis', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());

  it('starts on a loopback port with a temp dir and no persistence', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(server.pid).toBeTypeOf('number');
    const c = client(server.url);
    expect(await c.ping()).toBe('PONG');
    expect(await c.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    expect(await c.config('GET', 'save')).toEqual(['save', '']);
    expect(await c.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
  });

  it('stop() kills the process, removes the temp dir and is idempotent', async () => {
    const s = (await startRedis()) as LocalRedisServer;
    const pid = s.pid!;
    expect(existsSync(s.dir)).toBe(true);
    await Promise.all([s.stop(), s.stop()]);
    await s.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(s.dir)).toBe(false);
    expect(s.pid).toBeUndefined();
    await expect(s.restart()).rejects.toThrow(/stopped/);
  });

  it('pause() makes commands time out and resume() answers again', async () => {
    const c = client(server.url, { commandTimeout: 300 });
    await c.ping();
    await server.pause();
    try {
      await expect(c.ping()).rejects.toThrow(/timed out/i);
    } finally {
      await server.resume();
    }
    expect(await client(server.url, { commandTimeout: 2000 }).ping()).toBe('PONG');
  });

  it('clientPause() blocks writes for the given time', async () => {
    const c = client(server.url);
    await c.ping();
    const t0 = performance.now(); // before the pause starts, so this is a safe lower bound
    await server.clientPause(400);
    await c.set(uniqueKey('cp'), '1', 'PX', 1000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400 - 50);
  });

  it('reports the log tail when the server cannot start', async () => {
    await expect(startRedis({ args: ['--no-such-directive', 'x'] })).rejects.toThrow(
      /exited during startup[\s\S]*no-such-directive/i,
    );
  });
});

describe('kill and restart', () => {
  it('without AOF a kill -9 loses the data; restart keeps the port', async () => {
    const s = await startRedis();
    try {
      const key = uniqueKey('noaof');
      await client(s.url).set(key, 'v');
      const { port } = s;
      const pid = s.pid!;
      await s.kill();
      expect(s.pid).toBeUndefined();
      expect(alive(pid)).toBe(false);
      await s.kill(); // no-op
      await s.restart();
      expect(s.port).toBe(port);
      expect(s.pid).not.toBe(pid);
      expect(await client(s.url).get(key)).toBeNull();
    } finally {
      await s.stop();
    }
  });

  it('with AOF a kill -9 keeps acknowledged writes; restart({ appendonly: false }) starts empty', async () => {
    const s = await startRedis({ appendonly: true });
    try {
      const key = uniqueKey('aof');
      await client(s.url).set(key, 'kept');
      await s.restart(); // crash + start
      expect(await client(s.url).get(key)).toBe('kept');
      await s.kill();
      await s.restart({ appendonly: false });
      expect(await client(s.url).get(key)).toBeNull();
      const c = client(s.url);
      expect(await c.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    } finally {
      await s.stop();
    }
  });

  it('restart({ delayMs }) waits before the server answers again', async () => {
    const s = await startRedis();
    try {
      const c = client(s.url);
      await c.ping();
      const t0 = performance.now();
      await s.restart({ delayMs: 300 });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
      expect(await client(s.url).ping()).toBe('PONG');
    } finally {
      await s.stop();
    }
  });
});

describe('resolveRedis', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('uses REDIS_URL when set and starts nothing', async () => {
    vi.stubEnv('REDIS_URL', 'redis://127.0.0.1:1');
    const r = await resolveRedis();
    expect(r).toMatchObject({ url: 'redis://127.0.0.1:1', server: undefined });
    await r.stop();
  });

  it('starts a server when REDIS_URL is unset', async () => {
    vi.stubEnv('REDIS_URL', '');
    const r = await resolveRedis();
    try {
      expect(r.server).toBeDefined();
      expect(r.url).toBe(r.server!.url);
      expect(await client(r.url).ping()).toBe('PONG');
    } finally {
      await r.stop();
    }
  });

  it('explains how to get Redis when REDIS_SERVER_BIN is wrong', async () => {
    vi.stubEnv('REDIS_SERVER_BIN', '/nonexistent/redis-server');
    await expect(startRedis()).rejects.toThrow(/REDIS_SERVER_BIN/);
  });
});

describe('helpers', () => {
  it('uniqueKey is unique and prefixed', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => uniqueKey('p')));
    expect(keys.size).toBe(1000);
    expect([...keys][0]).toMatch(/^t:p:/);
    expect(uniqueKey()).toMatch(/^t:k:/);
  });

  it('lastCommandOf reports the last command of a connection', async () => {
    const url = inject('redisUrl');
    const c = client(url);
    const id = (await c.client('ID')) as number;
    expect(await lastCommandOf(url, id)).toBe('client|id');
    await c.get(uniqueKey('lc'));
    expect(await lastCommandOf(url, id)).toBe('get');
    await expect(lastCommandOf(url, 987654321)).rejects.toThrow(/no client/);
  });
});
