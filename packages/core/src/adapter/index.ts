import { endConnection } from './end-connection.js';
import { IoredisAdapter, isIoredisClient, ownIoredisConnection } from './ioredis.js';
import {
  isNodeRedisClient,
  NodeRedisAdapter,
  type NodeRedisSubscriber,
  ownNodeRedisConnection,
} from './node-redis.js';
import type { RedisAdapter } from './types.js';

export { IoredisAdapter, type IoredisLike, isIoredisClient } from './ioredis.js';
export { isNodeRedisClient, NodeRedisAdapter, type NodeRedisLike } from './node-redis.js';
export { type AdapterObserver, observeAdapter } from './observe.js';
export type {
  RedisAdapter,
  ReplicaWaitOptions,
  ReplicaWaitResult,
  ScriptArg,
  SubscribeOptions,
  Unsubscribe,
} from './types.js';

/** Any client the library accepts: ioredis Redis/Cluster, node-redis v4+ client/cluster, or a RedisAdapter. */
export type RedisClientLike = unknown;

/** True when `value` already is a RedisAdapter. */
export function isRedisAdapter(value: unknown): value is RedisAdapter {
  const v = value as Partial<RedisAdapter> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.evalScript === 'function' &&
    typeof v.subscribe === 'function' &&
    typeof v.close === 'function'
  );
}

/**
 * Wraps a supported client in a RedisAdapter, detected by shape. Throws a TypeError naming `name`
 * for anything else.
 */
export function toAdapter(client: RedisClientLike, name = 'client'): RedisAdapter {
  if (isRedisAdapter(client)) return client;
  if (isIoredisClient(client)) return new IoredisAdapter(client);
  if (isNodeRedisClient(client)) return new NodeRedisAdapter(client);
  throw Object.assign(
    new TypeError(
      `${name} must be an ioredis Redis or Cluster client, a node-redis v4+ client or cluster (connected), ` +
        `or a RedisAdapter; received ${client === null ? 'null' : typeof client}.`,
    ),
    { code: 'ERR_INVALID_ARG_TYPE' },
  );
}

/**
 * Ends a client created for the library's own use (a drop-in given a URL, say) the way adapters end their
 * own connections: QUIT for at most 1 s while connected, dropped at once while its server is down (QUIT would
 * wait for the server to come back). Never rejects; anything but an ioredis or node-redis client is left alone.
 */
export async function closeOwnedClient(client: RedisClientLike): Promise<void> {
  if (isIoredisClient(client)) {
    await endConnection(
      ownIoredisConnection(client as unknown as Parameters<typeof ownIoredisConnection>[0]),
    );
  } else if (isNodeRedisClient(client)) {
    await endConnection(ownNodeRedisConnection(client as NodeRedisSubscriber));
  }
}
