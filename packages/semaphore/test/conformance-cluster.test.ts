import { type ClientKind, describeLockStrategy, openClusterClient } from '@redis-locks/conformance';
import { startCluster } from '@redis-locks/testing';
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

async function clusterClient(kind: ClientKind): Promise<unknown> {
  const opening = await openClusterClient(kind, cluster.rootNodes);
  opened.push(opening);
  return opening.client;
}

const isClient = (value: unknown) => typeof (value as { duplicate?: unknown })?.duplicate === 'function';

describeLockStrategy({
  name: 'semaphore on Cluster',
  nodeUrls: () => cluster.nodes.map((node) => node.url),
  create: async ({ kind, client, namespace }) =>
    createSemaphore({ client: isClient(client) ? await clusterClient(kind) : client, namespace, fair: true }),
});
