import { describe, expect, it } from 'vitest';
import { LockLostError, startAutoExtension } from '../src/index.js';

function fakeLock(ttl: number) {
  const controller = new AbortController();
  return { resource: 'r', expiresAt: Date.now() + ttl, signal: controller.signal, controller };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startAutoExtension', () => {
  it('extends about every ttl/3 until stopped', async () => {
    const lock = fakeLock(300);
    let calls = 0;
    const stop = startAutoExtension(
      lock,
      300,
      async () => void calls++,
      () => undefined,
    );
    await wait(650);
    stop();
    // Expected about 6 (every 100 ms); allow generous slack for a loaded machine.
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(7);
    const after = calls;
    await wait(250);
    expect(calls).toBe(after);
  });

  it('reports loss once when the extension says the lock is gone', async () => {
    const lock = fakeLock(150);
    const lost: LockLostError[] = [];
    const stop = startAutoExtension(
      lock,
      150,
      async () => {
        throw new LockLostError('r', 'another owner holds it now');
      },
      (error) => {
        lost.push(error);
        lock.controller.abort(error);
      },
    );
    await wait(250);
    stop();
    expect(lost).toHaveLength(1);
    expect(lost[0]?.code).toBe('LOCK_LOST');
  });

  it('retries transient failures, then reports loss at expiry without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const lock = fakeLock(150);
    let calls = 0;
    let lostError: LockLostError | undefined;
    const stop = startAutoExtension(
      lock,
      150,
      async () => {
        calls++;
        throw new Error('ECONNRESET');
      },
      (error) => {
        lostError = error;
      },
    );
    await wait(400);
    stop();
    process.off('unhandledRejection', onUnhandled);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(lostError?.code).toBe('LOCK_LOST');
    expect((lostError!.cause as Error).message).toBe('ECONNRESET');
    expect(unhandled).toEqual([]);
  });
});
