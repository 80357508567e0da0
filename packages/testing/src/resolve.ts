import { type RedisServer, startRedis } from './server.js';

/** A Redis URL for tests, and the server behind it when this package started one. */
export interface ResolvedRedis {
  /** Connection URL. */
  url: string;
  /** The started server, or `undefined` when `REDIS_URL` was used. */
  server: RedisServer | undefined;
  /** Stop the started server (no-op for `REDIS_URL`). */
  stop(): Promise<void>;
}

/** `REDIS_URL` when set (nothing started, `stop` is a no-op), else `startRedis()`. */
export async function resolveRedis(): Promise<ResolvedRedis> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) return { url: fromEnv, server: undefined, stop: async () => {} };
  const server = await startRedis();
  return { url: server.url, server, stop: () => server.stop() };
}
