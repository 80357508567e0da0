import type { RedisServer } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { sleep } from './harness.js';

/** The ways a Redis server stops answering for a while. */
export type StallKind = 'sigstop' | 'debug-sleep' | 'client-pause';
export const STALL_KINDS: readonly StallKind[] = ['sigstop', 'debug-sleep', 'client-pause'];

/** Servers that accept DEBUG (disabled by default since Redis 7). */
export const DEBUG_ARGS = ['--enable-debug-command', 'yes'];

/** Stalls every server in `servers` for `ms`; resolves when they answer again. */
export async function stall(servers: readonly RedisServer[], kind: StallKind, ms: number): Promise<void> {
  if (kind === 'sigstop') {
    await Promise.all(servers.map((s) => s.pause()));
    await sleep(ms);
    await Promise.all(servers.map((s) => s.resume()));
    return;
  }
  if (kind === 'client-pause') {
    await Promise.all(servers.map((s) => s.clientPause(ms)));
    await sleep(ms);
    return;
  }
  await Promise.all(
    servers.map(async (s) => {
      const c = new Redis(s.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      c.on('error', () => undefined);
      try {
        await c.call('DEBUG', 'SLEEP', (ms / 1000).toFixed(3));
      } finally {
        c.disconnect();
      }
    }),
  );
}

/**
 * How long after `end` the acquisition rate got back to half of its rate in the second before `start`
 * (250 ms windows, 50 ms steps); `undefined` if it never did before the last acquisition.
 */
export function recoveryMs(acquiredAt: readonly bigint[], start: bigint, end: bigint): number | undefined {
  const ms = 1_000_000n;
  const inWindow = (from: bigint, to: bigint) => acquiredAt.filter((t) => t >= from && t < to).length;
  const before = inWindow(start - 1000n * ms, start);
  const need = Math.max(1, Math.floor((before / 4) * 0.5));
  const last = acquiredAt[acquiredAt.length - 1] ?? end;
  for (let t = end; t <= last; t += 50n * ms) {
    if (inWindow(t, t + 250n * ms) >= need) return Number((t - end) / ms);
  }
  return undefined;
}
