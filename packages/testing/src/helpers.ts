import { randomBytes } from 'node:crypto';
import { withClient } from './client.js';

let counter = 0;

/** A key unique across tests and processes: `t:<prefix>:<pid><counter>:<random>`. */
export function uniqueKey(prefix = 'k'): string {
  counter = (counter + 1) % 0x7fffffff;
  return `t:${prefix}:${process.pid.toString(36)}${counter.toString(36)}:${randomBytes(6).toString('hex')}`;
}

/**
 * The `cmd` field of `CLIENT LIST ID <clientId>` (e.g. `client|id` right after `CLIENT ID`), read through
 * a short-lived connection; throws when no such client is connected.
 */
export async function lastCommandOf(url: string, clientId: number): Promise<string> {
  const reply = await withClient(url, (c) => c.call('CLIENT', 'LIST', 'ID', String(clientId)));
  const line = String(reply ?? '').trim();
  const match = /(?:^|\s)cmd=(\S*)/.exec(line);
  if (!line || !match) throw new Error(`no client with id ${clientId} is connected to ${url}`);
  return match[1] ?? '';
}

/** All keys matching `pattern` (SCAN MATCH, so it never blocks the server), sorted. */
export async function listKeys(url: string, pattern: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await c.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const k of batch) keys.add(k);
    } while (cursor !== '0');
    return [...keys].sort();
  });
}

/** Active pub/sub channels (PUBSUB CHANNELS plus PUBSUB SHARDCHANNELS on Redis 7+), sorted. */
export async function pubsubChannels(url: string, pattern?: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const tail = pattern === undefined ? [] : [pattern];
    const channels = new Set<string>((await c.call('PUBSUB', 'CHANNELS', ...tail)) as string[]);
    try {
      for (const ch of (await c.call('PUBSUB', 'SHARDCHANNELS', ...tail)) as string[]) channels.add(ch);
    } catch (err) {
      // Redis < 7 has no sharded pub/sub
      if (!/unknown subcommand|unknown command/i.test((err as Error).message)) throw err;
    }
    return [...channels].sort();
  });
}
