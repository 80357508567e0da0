import { uniqueKey } from '@redis-locks/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SingleKeyLockCommands, toAdapter } from '../src/index.js';
import { clientKinds, connect } from './clients.js';

const url = inject('redisUrl');

describe.each(clientKinds)('SingleKeyLockCommands over %s', (kind) => {
  let connection: Awaited<ReturnType<typeof connect>>;
  let commands: SingleKeyLockCommands;
  const adapters: ReturnType<typeof toAdapter>[] = [];

  beforeAll(async () => {
    connection = await connect(kind, url);
    adapters.push(toAdapter(connection.client));
    commands = new SingleKeyLockCommands(adapters[0]!);
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.close()));
    await connection.close();
  });

  it('acquires with and without a fencing counter and reports the holder otherwise', async () => {
    const lock = uniqueKey('skc');
    const fence = `${lock}:fence`;
    expect(await commands.acquire({ lock, fence }, 'a', 5000)).toEqual({ acquired: true, fencingToken: 1 });
    const refused = await commands.acquire({ lock, fence }, 'b', 5000);
    expect(refused.acquired).toBe(false);
    expect(refused.acquired === false && refused.retryAfter).toBeGreaterThan(4000);
    expect(await commands.inspect({ lock, fence }, 'a')).toMatchObject({ fencingToken: 1, matches: true });
    expect(await commands.inspect({ lock, fence }, 'b')).toMatchObject({ matches: false });
    expect(await commands.release(lock, 'b')).toBe('not-owner');
    expect(await commands.extend(lock, 'b', 9000)).toEqual({ extended: false, reason: 'not-owner' });
    expect(await commands.extend(lock, 'a', 9000)).toEqual({ extended: true });
    expect(await commands.release(lock, 'a')).toBe('released');
    expect(await commands.release(lock, 'a')).toBe('expired');
    expect(await commands.extend(lock, 'a', 9000)).toEqual({ extended: false, reason: 'expired' });
    expect((await commands.inspect({ lock })).pttl).toBe(-2);
    const unfenced = uniqueKey('skc-nofence');
    expect(await commands.acquire({ lock: unfenced }, 'x', 5000)).toEqual({
      acquired: true,
      fencingToken: 0,
    });
    expect(await commands.get(unfenced)).toBe('x');
    expect(await commands.release(unfenced, 'x')).toBe('released');
    expect(await commands.get(unfenced)).toBeNull();
    await connection.raw('DEL', fence);
  });

  it.each([false, true])('publishes on release only when it released (sharded: %s)', async (sharded) => {
    const lock = uniqueKey('skc-notify');
    const channel = `${lock}:released`;
    const messages: string[] = [];
    const off = await adapters[0]!.subscribe(channel, (m) => messages.push(m), { sharded });
    await commands.acquire({ lock }, 'a', 5000);
    expect(await commands.release(lock, 'b', { channel, message: 'nope', sharded })).toBe('not-owner');
    expect(await commands.release(lock, 'a', { channel, message: 'freed', sharded })).toBe('released');
    // A marker published afterwards arrives after any earlier message, so 'nope' cannot be in flight.
    await connection.raw(sharded ? 'SPUBLISH' : 'PUBLISH', channel, 'marker');
    for (let i = 0; i < 100 && !messages.includes('marker'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(messages).toEqual(['freed', 'marker']);
    await off();
  });
});
