import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** A connected ioredis client. */
export async function connectIoredis(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  return client;
}

/** A connected node-redis client. */
export async function connectNodeRedis(url: string): Promise<ReturnType<typeof createClient>> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
