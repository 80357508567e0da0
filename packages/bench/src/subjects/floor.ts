import { randomBytes } from 'node:crypto';
import { lockRelease } from '@redis-locks/scripts';
import { RoundTripCounter } from '../round-trip-counter.js';
import type { BenchSubject } from './bench-subject.js';
import { connectIoredis, connectNodeRedis } from './clients.js';

const TTL_MS = 10_000;

function token(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The fewest round trips a correct lock needs, on ioredis: `SET key token NX PX ttl`, then `EVALSHA` of
 * lock_release (compare-and-delete). Exactly 2 round trips; no fencing counter.
 */
export const ioredisFloor: BenchSubject = {
  name: 'floor: SET NX PX + EVALSHA release',
  client: 'ioredis',
  isFloor: true,
  async open(url) {
    const client = await connectIoredis(url);
    await client.script('LOAD', lockRelease.source);
    const roundTrips = new RoundTripCounter();
    return {
      roundTrips,
      async cycle(resource) {
        const owner = token();
        const key = `floor:{${resource}}`;
        roundTrips.count++;
        if ((await client.set(key, owner, 'PX', TTL_MS, 'NX')) !== 'OK')
          throw new Error(`floor: ${key} was held`);
        roundTrips.count++;
        if (Number(await client.evalsha(lockRelease.sha1, 1, key, owner)) !== 1)
          throw new Error(`floor: ${key} lost`);
      },
      close: async () => {
        client.disconnect();
      },
    };
  },
};

/** The same floor on node-redis, so node-redis subjects are compared with their own client's cost. */
export const nodeRedisFloor: BenchSubject = {
  name: 'floor: SET NX PX + EVALSHA release',
  client: 'node-redis',
  isFloor: true,
  async open(url) {
    const client = await connectNodeRedis(url);
    await client.scriptLoad(lockRelease.source);
    const roundTrips = new RoundTripCounter();
    return {
      roundTrips,
      async cycle(resource) {
        const owner = token();
        const key = `floor:{${resource}}`;
        roundTrips.count++;
        if ((await client.set(key, owner, { NX: true, PX: TTL_MS })) !== 'OK')
          throw new Error(`floor: ${key} was held`);
        roundTrips.count++;
        const released = await client.evalSha(lockRelease.sha1, { keys: [key], arguments: [owner] });
        if (Number(released) !== 1) throw new Error(`floor: ${key} lost`);
      },
      close: async () => {
        client.destroy();
      },
    };
  },
};
