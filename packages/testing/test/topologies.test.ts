import { Cluster, Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  listKeys,
  pubsubChannels,
  startCluster,
  startNodes,
  startReplicated,
  uniqueKey,
} from '../src/index.js';

const clients: Array<Redis | Cluster> = [];
function client(url: string): Redis {
  const c = new Redis(url, { maxRetriesPerRequest: 0 });
  c.on('error', () => {});
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});

async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('startReplicated', () => {
  it('replicates writes, WAIT acknowledges, promote() makes a replica writable', async () => {
    const rep = await startReplicated({ replicas: 1 });
    try {
      expect(rep.proxies).toEqual([]);
      const primary = client(rep.primary.url);
      const replica = client(rep.replicas[0]!.url);
      const key = uniqueKey('repl');
      await primary.set(key, 'v');
      expect(await primary.call('WAIT', '1', '1000')).toBe(1);
      expect(await replica.get(key)).toBe('v');
      await expect(replica.set(key, 'w')).rejects.toThrow(/READONLY/);
      await rep.promote(rep.replicas[0]!);
      expect(await replica.set(key, 'w')).toBe('OK');
      expect((await replica.info('replication')).includes('role:master')).toBe(true);
    } finally {
      await rep.stop();
    }
  });

  it('viaProxy: a blackholed replication link makes WAIT return 0, heal brings it back', async () => {
    const rep = await startReplicated({ replicas: 2, viaProxy: true });
    try {
      expect(rep.replicas).toHaveLength(2);
      expect(rep.proxies).toHaveLength(2);
      const primary = client(rep.primary.url);
      const key = uniqueKey('wait');
      await primary.set(key, '1');
      expect(await primary.call('WAIT', '2', '1000')).toBe(2);
      rep.proxies[0]!.blackhole(true);
      rep.proxies[1]!.blackhole(true);
      await primary.set(key, '2');
      expect(await primary.call('WAIT', '1', '300')).toBe(0);
      rep.proxies[1]!.heal();
      expect(await primary.call('WAIT', '1', '2000')).toBe(1);
      rep.proxies[0]!.heal();
      await rep.waitForReplicas();
      expect(await primary.call('WAIT', '2', '2000')).toBe(2);
    } finally {
      await rep.stop();
    }
  });

  it('a restarted replica resyncs', async () => {
    const rep = await startReplicated({ replicas: 1 });
    try {
      const key = uniqueKey('resync');
      await client(rep.primary.url).set(key, 'v');
      await rep.replicas[0]!.restart();
      await rep.waitForReplicas();
      await until(async () => (await client(rep.replicas[0]!.url).get(key)) === 'v');
    } finally {
      await rep.stop();
    }
  });
});

describe('startNodes', () => {
  it('starts independent servers', async () => {
    const { nodes, stop } = await startNodes(3);
    try {
      expect(new Set(nodes.map((n) => n.port)).size).toBe(3);
      const key = uniqueKey('nodes');
      await client(nodes[0]!.url).set(key, '0');
      expect(await client(nodes[1]!.url).exists(key)).toBe(0);
      expect(await client(nodes[2]!.url).ping()).toBe('PONG');
    } finally {
      await stop();
    }
  });
});

describe('startCluster', () => {
  it('serves keys in different slots through an ioredis Cluster client', async () => {
    const cluster = await startCluster();
    try {
      expect(cluster.nodes).toHaveLength(3);
      expect(cluster.url).toBe(cluster.nodes[0]!.url);
      const c = new Cluster(cluster.rootNodes, { redisOptions: { maxRetriesPerRequest: 1 } });
      c.on('error', () => {});
      clients.push(c);
      const keys = Array.from({ length: 30 }, (_, i) => uniqueKey(`c${i}`));
      for (const k of keys) await c.set(k, k);
      for (const k of keys) expect(await c.get(k)).toBe(k);
      // the keys are spread over every master
      const perNode = await Promise.all(cluster.nodes.map((n) => listKeys(n.url, 't:c*')));
      expect(perNode.every((list) => list.length > 0)).toBe(true);
      expect(perNode.flat().sort()).toEqual([...keys].sort());
    } finally {
      await cluster.stop();
    }
  });

  it('attaches replicasPerMaster replicas to every master: writes reach them, WAIT counts them', async () => {
    const cluster = await startCluster({ masters: 2, replicasPerMaster: 1 });
    try {
      expect(cluster.nodes).toHaveLength(2);
      expect(cluster.replicas.map((group) => group.length)).toEqual([1, 1]);
      expect(cluster.rootNodes).toHaveLength(2);
      const c = new Cluster(cluster.rootNodes, { redisOptions: { maxRetriesPerRequest: 1 } });
      c.on('error', () => {});
      clients.push(c);
      const keys = Array.from({ length: 20 }, (_, i) => uniqueKey(`cr${i}`));
      for (const k of keys) await c.set(k, k);
      const owned: string[][] = [];
      for (const [i, master] of cluster.nodes.entries()) {
        const own = await listKeys(master.url, 't:cr*');
        expect(own.length).toBeGreaterThan(0);
        owned.push(own);
        const replica = client(cluster.replicas[i]![0]!.url);
        await until(async () => (await replica.dbsize()) >= own.length);
        expect(String(await replica.call('ROLE')).startsWith('slave')).toBe(true);
        expect(await client(master.url).wait(1, 1000)).toBe(1);
      }
      // A paused replica leaves its own master short of acknowledgements, and only that master.
      await cluster.replicas[0]![0]!.pause();
      try {
        const first = client(cluster.nodes[0]!.url);
        const second = client(cluster.nodes[1]!.url);
        await first.set(owned[0]![0]!, 'again');
        expect(await first.wait(1, 200)).toBe(0);
        await second.set(owned[1]![0]!, 'again');
        expect(await second.wait(1, 1000)).toBe(1);
      } finally {
        await cluster.replicas[0]![0]!.resume();
      }
    } finally {
      await cluster.stop();
    }
  });
});

describe('listKeys and pubsubChannels', () => {
  it('lists keys by pattern and active (shard) channels', async () => {
    const { nodes, stop } = await startNodes(1);
    try {
      const url = nodes[0]!.url;
      const c = client(url);
      const prefix = uniqueKey('lk');
      for (let i = 0; i < 25; i++) await c.set(`${prefix}:${i}`, i);
      await c.set(uniqueKey('other'), 1);
      expect(await listKeys(url, `${prefix}:*`)).toHaveLength(25);
      expect(await pubsubChannels(url)).toEqual([]);
      const sub = client(url);
      const ch = uniqueKey('ch');
      await sub.subscribe(ch);
      const shard = client(url);
      await shard.ssubscribe(`${ch}:s`);
      expect(await pubsubChannels(url)).toEqual([ch, `${ch}:s`]);
      expect(await pubsubChannels(url, `${ch}:*`)).toEqual([`${ch}:s`]);
      await sub.unsubscribe(ch);
      expect(await pubsubChannels(url)).toEqual([`${ch}:s`]);
    } finally {
      await stop();
    }
  });
});
