import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** Anything we opened and must close. */
export interface Closer {
  close(): Promise<void>;
}

/** An ioredis client that fails fast instead of queueing while its node is down. */
export function ioredis(url: string, options: Record<string, unknown> = {}): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 1, ...options });
  client.on('error', () => undefined);
  return client;
}

/** A connected node-redis client. */
export async function nodeRedis(url: string): Promise<ReturnType<typeof createClient>> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Quits an ioredis or node-redis client, disconnecting if quitting fails. */
export async function quit(client: unknown): Promise<void> {
  const c = client as {
    quit?: () => Promise<unknown>;
    close?: () => Promise<unknown>;
    disconnect?: () => unknown;
    destroy?: () => unknown;
    isOpen?: boolean;
    status?: string;
  };
  try {
    if (typeof c.status === 'string') {
      if (c.status === 'end') return;
      await c.quit!();
    } else if (c.isOpen !== false) {
      await (c.close ?? c.quit)!.call(c);
    }
  } catch {
    if (typeof c.status === 'string') c.disconnect?.();
    else c.destroy?.();
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until an ioredis client answers a PING (commands fail fast without an offline queue). The status
 * alone is not enough right after a server restart: it still reads 'ready' until the client notices the
 * old connection is gone.
 */
export async function ready(client: { status: string; ping(): Promise<string> }): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (client.status === 'ready' && (await client.ping().catch(() => '')) === 'PONG') return;
    await sleep(20);
  }
  throw new Error(`client not ready: ${client.status}`);
}
