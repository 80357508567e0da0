import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** The two client kinds every adapter test runs against. */
export const clientKinds = ['ioredis', 'node-redis'] as const;
export type ClientKind = (typeof clientKinds)[number];

/** A connected client of `kind`, plus a way to close it and to run a raw command on it. */
export async function connect(kind: ClientKind, url: string) {
  if (kind === 'ioredis') {
    const client = new Redis(url, { lazyConnect: true });
    await client.connect();
    return {
      client,
      raw: (...args: string[]) => client.call(args[0]!, ...args.slice(1)),
      close: async () => void (await client.quit()),
    };
  }
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return {
    client,
    raw: (...args: string[]) => client.sendCommand(args),
    close: async () => void (await client.close()),
  };
}
