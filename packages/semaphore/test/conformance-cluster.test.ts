import { describeLockStrategy } from '@redis-locks/conformance';
import { startCluster } from '@redis-locks/testing';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { afterAll } from 'vitest';
import { createSemaphore } from '../src/index.js';

// The suite hands out standalone clients per node URL; the strategy under test runs on a Cluster client
// of the same kind instead (one per strategy instance), so every group exercises the Cluster paths:
// cluster clients, hash-tagged keys (Redis enforces CROSSSLOT per slot, even on one node), SPUBLISH from
// scripts and sharded subscriptions, across three masters.
const cluster = await startCluster({ masters: 3 });
const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.allSettled(opened.map((c) => c.close()));
  await cluster.stop();
});

async function clusterClient(kind: 'ioredis' | 'node-redis'): Promise<unknown> {
  if (kind === 'ioredis') {
    const client = new Cluster(cluster.rootNodes);
    client.on('error', () => undefined);
    opened.push({ close: async () => void (await client.quit()) });
    return client;
  }
  const client = createCluster({
    rootNodes: cluster.rootNodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
  });
  client.on('error', () => undefined);
  await client.connect();
  opened.push({ close: async () => void (await client.close()) });
  return client;
}

const isClient = (value: unknown) => typeof (value as { duplicate?: unknown })?.duplicate === 'function';

describeLockStrategy({
  name: 'semaphore on Cluster',
  nodeUrls: () => cluster.nodes.map((node) => node.url),
  create: async ({ kind, client, namespace }) =>
    createSemaphore({ client: isClient(client) ? await clusterClient(kind) : client, namespace, fair: true }),
});
