import { Redis } from 'ioredis';
import { RedisUnreachableError } from './redis-unreachable-error.js';
import { redactUrl } from './redis-url.js';

/**
 * Connects an ioredis client to `url` that fails fast (no offline queue, no reconnect loop) so a CLI command
 * reports an unreachable server instead of hanging; rejects with the connection error.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await client.connect();
  } catch (error) {
    // After a failed connect the stream is closed already; disconnect() would then leave ioredis's 2 s
    // "destroy the stream" timer running (its close listener never fires), delaying the exit.
    if (client.status !== 'end') client.disconnect();
    const reason = lastError?.message ?? (error as Error).message;
    throw new RedisUnreachableError(`cannot connect to ${redactUrl(url)}: ${reason}`);
  }
  return client;
}

/** {@link connectRedis} to every URL, in parallel; if one fails, disconnects the others and rejects. */
export async function connectAll(urls: readonly string[]): Promise<Redis[]> {
  const results = await Promise.allSettled(urls.map((url) => connectRedis(url)));
  const clients = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    for (const client of clients) client.disconnect();
    throw failed.reason;
  }
  return clients;
}

/** `redis_version` from INFO server, or `null` when it cannot be read. */
export async function redisVersion(client: Redis): Promise<string | null> {
  try {
    const info = await client.info('server');
    return /^redis_version:(\S+)/m.exec(info)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Deletes every key matching `pattern` (SCAN + UNLINK, never KEYS); returns how many were deleted. */
export async function deleteKeysMatching(client: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
