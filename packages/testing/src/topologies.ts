import { Redis } from 'ioredis';
import { withClient } from './client.js';
import { type ChaosProxy, createChaosProxy } from './proxy.js';
import {
  freePort,
  type LocalRedisServer,
  type RedisServer,
  requireLocalBinary,
  sleep,
  startLocalRedis,
  startRedis,
} from './server.js';

/** Stop everything, wait for all, rethrow the first failure. */
async function stopAll(items: Array<{ stop(): Promise<void> } | { close(): Promise<void> }>): Promise<void> {
  const results = await Promise.allSettled(items.map((i) => ('stop' in i ? i.stop() : i.close())));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Start `count` things in parallel; if any fails, stop the ones that started and rethrow. */
async function startMany<T extends { stop(): Promise<void> }>(
  count: number,
  start: (i: number) => Promise<T>,
): Promise<T[]> {
  const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => start(i)));
  const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stopAll(ok).catch(() => {});
    throw failed.reason;
  }
  return ok;
}

/** Parse `INFO` text into a field map. */
function parseInfo(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) map.set(line.slice(0, i), line.slice(i + 1));
  }
  return map;
}

/** Poll `check` every 50 ms until it returns true or `timeoutMs` passes; then throw with `diagnose()`. */
async function waitUntil(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  diagnose: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) {
      let diag: string;
      try {
        diag = await diagnose();
      } catch (err) {
        diag = `(diagnostics failed: ${(err as Error).message})`;
      }
      throw new Error(
        `${what} not reached within ${timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ''}\n${diag}`,
      );
    }
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Primary + replicas.

/** Options for `startReplicated()`. */
export interface ReplicatedOptions {
  /** Number of replicas (>= 1). */
  replicas: number;
  /** Enable AOF on every node. */
  appendonly?: boolean;
  /** Route each replica's replication link through its own `ChaosProxy` in front of the primary. */
  viaProxy?: boolean;
  /** How long to wait for the replicas to be online, in ms (default 20000). */
  timeoutMs?: number;
}

/** A primary with replicas (for WAIT), optionally with a chaos proxy on each replication link. */
export interface Replicated {
  /** The primary. */
  primary: RedisServer;
  /** The replicas, in start order. */
  replicas: RedisServer[];
  /** `proxies[i]` carries `replicas[i]`'s replication link (empty unless `viaProxy`). */
  proxies: ChaosProxy[];
  /** Make `replica` a primary (`REPLICAOF NO ONE`). */
  promote(replica: RedisServer): Promise<void>;
  /** Wait until every replica is online again (e.g. after a restart or `heal()`). */
  waitForReplicas(timeoutMs?: number): Promise<void>;
  /** Stop every server and proxy. */
  stop(): Promise<void>;
}

const REPL_ARGS = ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'];

/** Replication is complete: the primary lists every replica online, every replica's link is up. */
async function waitForReplication(
  primary: RedisServer,
  replicas: RedisServer[],
  timeoutMs: number,
): Promise<void> {
  const infos = async () =>
    Promise.all(
      [primary, ...replicas].map((s) =>
        withClient(s.url, (c) => c.info('replication'), { timeoutMs: 2000 }).catch(
          (e: Error) => `error: ${e.message}`,
        ),
      ),
    );
  await waitUntil(
    `replication (${replicas.length} replicas online)`,
    timeoutMs,
    async () => {
      const [p, ...rs] = (await infos()).map(parseInfo);
      if (Number(p?.get('connected_slaves') ?? 0) < replicas.length) return false;
      const online = [...(p?.entries() ?? [])].filter(
        ([k, v]) => /^slave\d+$/.test(k) && v.includes('state=online'),
      ).length;
      if (online < replicas.length) return false;
      return rs.every((r) => r.get('master_link_status') === 'up');
    },
    async () =>
      (await infos())
        .map((text, i) => `--- ${i === 0 ? 'primary' : `replica ${i}`} ---\n${text.trim()}`)
        .join('\n'),
  );
}

/**
 * Start a primary and `replicas` replicas (`--replicaof`, diskless sync) and resolve once every replica is
 * online on the primary and has `master_link_status:up`. Needs a local redis-server binary.
 */
export async function startReplicated(options: ReplicatedOptions): Promise<Replicated> {
  const count = options.replicas;
  if (!Number.isInteger(count) || count < 1) throw new RangeError('startReplicated(): replicas must be >= 1');
  const bin = await requireLocalBinary('startReplicated()');
  const timeoutMs = options.timeoutMs ?? 20000;
  const base = { appendonly: options.appendonly ?? false };
  const primary = await startLocalRedis(bin, { ...base, args: REPL_ARGS });
  const proxies: ChaosProxy[] = [];
  let replicas: LocalRedisServer[] = [];
  const stop = async () => {
    await stopAll([...replicas, ...proxies]);
    await primary.stop();
  };
  try {
    if (options.viaProxy) {
      for (let i = 0; i < count; i++) proxies.push(await createChaosProxy(primary));
    }
    replicas = await startMany(count, (i) => {
      const upstreamPort = proxies[i]?.port ?? primary.port;
      return startLocalRedis(bin, {
        ...base,
        args: [...REPL_ARGS, '--replicaof', '127.0.0.1', String(upstreamPort)],
      });
    });
    await waitForReplication(primary, replicas, timeoutMs);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return {
    primary,
    replicas,
    proxies,
    promote: async (replica) => {
      await withClient(replica.url, (c) => c.call('REPLICAOF', 'NO', 'ONE'));
    },
    waitForReplicas: (ms = timeoutMs) => waitForReplication(primary, replicas, ms),
    stop,
  };
}

// ---------------------------------------------------------------------------------------------
// Independent nodes.

/** N independent Redis servers (e.g. for Redlock). */
export interface Nodes {
  /** The servers, in start order. */
  nodes: RedisServer[];
  /** Stop every server. */
  stop(): Promise<void>;
}

/** Start `n` independent servers in parallel (each like `startRedis()`). */
export async function startNodes(n: number, options: { appendonly?: boolean } = {}): Promise<Nodes> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('startNodes(): n must be >= 1');
  const nodes = await startMany(n, () => startRedis({ appendonly: options.appendonly ?? false }));
  return { nodes, stop: () => stopAll(nodes) };
}

// ---------------------------------------------------------------------------------------------
// Cluster.

/** Options for `startCluster()`. */
export interface ClusterOptions {
  /** Number of masters (default 3). */
  masters?: number;
  /** Replicas of every master (default 0). */
  replicasPerMaster?: number;
  /** How long to wait for `cluster_state:ok` and slot agreement, in ms (default 20000). */
  timeoutMs?: number;
}

/** A Redis Cluster of masters, each with `replicasPerMaster` replicas. */
export interface StartedCluster {
  /** The masters; master i owns the i-th even share of the 16384 slots. */
  nodes: RedisServer[];
  /** `replicas[i]`: the replicas of `nodes[i]`, replicating and known to the cluster (empty without replicas). */
  replicas: RedisServer[][];
  /** URL of the first node. */
  url: string;
  /** Seed nodes for cluster clients (`new Cluster(rootNodes)`). */
  rootNodes: { host: string; port: number }[];
  /** Stop every node. */
  stop(): Promise<void>;
}

const SLOTS = 16384;

/** Normalised `CLUSTER SLOTS` of one node: `start-end:port` sorted. */
function slotMap(reply: unknown): string {
  const rows = (reply as Array<[number, number, [string, number, ...unknown[]]]>).map(
    ([start, end, master]) => `${start}-${end}:${master[1]}`,
  );
  return rows.sort().join(',');
}

/**
 * Start a Redis Cluster (default 3 masters, no replicas): slots split evenly with CLUSTER ADDSLOTSRANGE,
 * nodes joined with CLUSTER MEET, replicas attached with CLUSTER REPLICATE; resolves when every node reports
 * `cluster_state:ok`, all agree on the slot map and every replica's link to its master is up. Needs a local
 * redis-server 7+ binary.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<StartedCluster> {
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 1 || masters > SLOTS) {
    throw new RangeError('startCluster(): masters must be between 1 and 16384');
  }
  const replicasPerMaster = options.replicasPerMaster ?? 0;
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0 || replicasPerMaster > 5) {
    throw new RangeError('startCluster(): replicasPerMaster must be an integer between 0 and 5');
  }
  const total = masters * (1 + replicasPerMaster);
  const bin = await requireLocalBinary('startCluster()');
  const timeoutMs = options.timeoutMs ?? 20000;
  const busPorts = new Map<LocalRedisServer, number>();
  const all = await startMany(total, async () => {
    let busPort = 0;
    const server = await startLocalRedis(
      bin,
      {
        args: ['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000'],
      },
      async (dir) => {
        busPort = await freePort();
        return ['--cluster-config-file', `${dir}/nodes.conf`, '--cluster-port', String(busPort)];
      },
    );
    busPorts.set(server, busPort);
    return server;
  });
  const nodes = all.slice(0, masters);
  // Replica j of master i is all[masters + i * replicasPerMaster + j].
  const replicas = nodes.map((_, i) =>
    all.slice(masters + i * replicasPerMaster, masters + (i + 1) * replicasPerMaster),
  );
  const clients = all.map((n) => {
    const c = new Redis(n.port, n.host, {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    c.on('error', () => {});
    return c;
  });
  const stop = () => stopAll(all);
  const diagnose = async () => {
    const parts = await Promise.all(
      clients.map(async (c, i) => {
        const info = String(await c.call('CLUSTER', 'INFO').catch((e: Error) => e.message));
        const list = String(await c.call('CLUSTER', 'NODES').catch((e: Error) => e.message));
        return `--- node ${i} (port ${all[i]!.port}) ---\n${info.trim()}\n${list.trim()}`;
      }),
    );
    return parts.join('\n');
  };
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const per = Math.floor(SLOTS / masters);
    await Promise.all(
      clients.slice(0, masters).map(async (c, i) => {
        const start = i * per;
        const end = i === masters - 1 ? SLOTS - 1 : start + per - 1;
        await c.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1));
        await c.call('CLUSTER', 'ADDSLOTSRANGE', String(start), String(end));
      }),
    );
    const first = clients[0]!;
    for (const node of all.slice(1)) {
      await first.call('CLUSTER', 'MEET', node.host, String(node.port), String(busPorts.get(node)));
    }
    if (replicasPerMaster > 0) {
      // A replica can only follow a master it already knows about.
      await waitUntil(
        `all ${total} nodes known to every node`,
        timeoutMs,
        async () => {
          for (const c of clients) {
            const info = parseInfo(String(await c.call('CLUSTER', 'INFO')));
            if (Number(info.get('cluster_known_nodes')) !== total) return false;
          }
          return true;
        },
        diagnose,
      );
      const masterIds = await Promise.all(
        clients.slice(0, masters).map(async (c) => String(await c.call('CLUSTER', 'MYID'))),
      );
      await Promise.all(
        replicas.flatMap((group, i) =>
          group.map((replica) => clients[all.indexOf(replica)]!.call('CLUSTER', 'REPLICATE', masterIds[i]!)),
        ),
      );
    }
    await waitUntil(
      `cluster_state:ok on ${total} nodes`,
      timeoutMs,
      async () => {
        const maps = new Set<string>();
        for (const c of clients) {
          const info = parseInfo(String(await c.call('CLUSTER', 'INFO')));
          if (info.get('cluster_state') !== 'ok') return false;
          if (Number(info.get('cluster_known_nodes')) !== total) return false;
          if (Number(info.get('cluster_slots_assigned')) !== SLOTS) return false;
          maps.add(slotMap(await c.call('CLUSTER', 'SLOTS')));
        }
        for (const c of clients.slice(masters)) {
          const replication = parseInfo(String(await c.call('INFO', 'replication')));
          if (replication.get('master_link_status') !== 'up') return false;
        }
        return maps.size === 1;
      },
      diagnose,
    );
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  } finally {
    for (const c of clients) c.disconnect();
  }
  return {
    nodes,
    replicas,
    url: nodes[0]!.url,
    rootNodes: nodes.map((n) => ({ host: n.host, port: n.port })),
    stop,
  };
}
