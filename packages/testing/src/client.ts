import { Redis } from 'ioredis';

/**
 * Run `fn` with a short-lived ioredis connection to `url` that never retries, then disconnect.
 * Used by every helper that talks to Redis, so no helper leaves a connection behind.
 */
export async function withClient<T>(
  url: string,
  fn: (client: Redis) => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: options.timeoutMs ?? 5000,
    commandTimeout: options.timeoutMs ?? 5000,
  });
  client.on('error', () => {
    // surfaced through the rejected command instead
  });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}
