import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { startRedis } from '../src/index.js';
import { killAllSync, type LocalRedisServer } from '../src/server.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it('registers exit and signal hooks that kill every server synchronously', async () => {
  const a = (await startRedis()) as LocalRedisServer;
  const b = (await startRedis()) as LocalRedisServer;
  expect(process.listeners('exit')).toContain(killAllSync);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    expect(process.listenerCount(signal)).toBeGreaterThan(0);
  }
  const pids = [a.pid!, b.pid!];
  killAllSync();
  expect(existsSync(a.dir)).toBe(false);
  expect(existsSync(b.dir)).toBe(false);
  const deadline = Date.now() + 5000;
  while (a.pid !== undefined || b.pid !== undefined) {
    if (Date.now() > deadline) throw new Error('processes did not exit');
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const pid of pids) expect(alive(pid)).toBe(false);
  await a.stop();
  await b.stop();
});
