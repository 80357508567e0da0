import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import type { ClientKind } from './types.js';

/** A connected client of either kind, with the few raw operations the suite needs. */
export interface SuiteClient {
  readonly kind: ClientKind;
  readonly url: string;
  /** The client object handed to strategies. */
  readonly client: unknown;
  /** `CLIENT ID` of the connection. */
  clientId(): Promise<number>;
  /** `PING`, to prove the connection still works. */
  ping(): Promise<string>;
  /** Sends any command as is (arguments become strings); resolves the raw reply. */
  raw(...args: (string | number)[]): Promise<unknown>;
  /** Closes the connection; idempotent. */
  close(): Promise<void>;
}

type NodeRedisClient = ReturnType<typeof createClient>;

/** The client kinds every suite and compat test runs against. */
export const clientKinds: readonly ClientKind[] = ['ioredis', 'node-redis'];

/** Opens a connected client of `kind` to `url` (closed by `close()`). */
export async function openClient(kind: ClientKind, url: string): Promise<SuiteClient> {
  if (kind === 'ioredis') {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    client.on('error', () => undefined);
    await client.connect();
    let closed = false;
    return {
      kind,
      url,
      client,
      clientId: async () => Number(await client.client('ID')),
      ping: () => client.ping(),
      raw: (...args) => client.call(String(args[0]), ...args.slice(1)),
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await client.quit();
        } catch {
          client.disconnect();
        }
      },
    };
  }
  const client: NodeRedisClient = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  let closed = false;
  return {
    kind,
    url,
    client,
    clientId: async () => Number(await client.sendCommand(['CLIENT', 'ID'])),
    ping: async () => String(await client.sendCommand(['PING'])),
    raw: (...args) => client.sendCommand(args.map(String)),
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } catch {
        client.destroy();
      }
    },
  };
}

/** A connected Cluster client of either kind, and a way to close it. */
export interface ClusterSuiteClient {
  readonly kind: ClientKind;
  /** The ioredis `Cluster` or node-redis cluster handed to strategies. */
  readonly client: unknown;
  /** Closes the cluster client; idempotent. */
  close(): Promise<void>;
}

/** Opens a Cluster client of `kind` on the given seed nodes (e.g. `startCluster().rootNodes`). */
export async function openClusterClient(
  kind: ClientKind,
  rootNodes: readonly { host: string; port: number }[],
): Promise<ClusterSuiteClient> {
  let closed = false;
  if (kind === 'ioredis') {
    const client = new Cluster([...rootNodes]);
    client.on('error', () => undefined);
    return {
      kind,
      client,
      close: async () => {
        if (closed) return;
        closed = true;
        await client.quit();
      },
    };
  }
  const client = createCluster({ rootNodes: rootNodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })) });
  client.on('error', () => undefined);
  await client.connect();
  return {
    kind,
    client,
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
