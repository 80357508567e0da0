import { describeLockStrategy } from '@redis-locks/conformance';
import { type Nodes, startNodes } from '@redis-locks/testing';
import { afterAll, beforeAll } from 'vitest';
import { createRedlock } from '../src/index.js';

let nodes: Nodes;
beforeAll(async () => {
  nodes = await startNodes(3);
}, 60_000);
afterAll(async () => {
  await nodes?.stop();
});

describeLockStrategy({
  name: 'redlock (3 nodes)',
  create: ({ clients, namespace }) => createRedlock({ clients, namespace }),
  nodeUrls: () => nodes.nodes.map((node) => node.url),
});
