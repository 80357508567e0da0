import { createHash } from 'node:crypto';
import { lockAcquire, lockInspect, lockRelease } from '@redis-locks/scripts';
import { startCluster, startRedis, uniqueKey, withClient } from '@redis-locks/testing';
import { Cluster, Redis } from 'ioredis';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GRACEFUL_CLOSE_TIMEOUT } from '../src/adapter/end-connection.js';
import { isRedisAdapter, observeAdapter, type RedisAdapter, toAdapter } from '../src/index.js';
import { type ClientKind, clientKinds, connect } from './clients.js';

const url = inject('redisUrl');

function nextMessage(): { promise: Promise<string>; listener: (message: string) => void } {
  let listener!: (message: string) => void;
  const promise = new Promise<string>((resolve) => {
    listener = resolve;
  });
  return { promise, listener };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([promise, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref())]);
}

describe.each(clientKinds)('adapter over %s', (kind: ClientKind) => {
  let connection: Awaited<ReturnType<typeof connect>>;
  let adapter: RedisAdapter;

  beforeAll(async () => {
    connection = await connect(kind, url);
    adapter = toAdapter(connection.client);
  });
  afterAll(async () => {
    await adapter.close();
    await connection.close();
  });

  it('is detected by shape', () => {
    expect(adapter.kind).toBe(kind);
    expect(adapter.isCluster).toBe(false);
  });

  it('runs a script and maps nil and integers the same for both clients', async () => {
    const key = uniqueKey('adapter');
    const granted = await adapter.evalScript(lockAcquire, [key, `${key}:fence`], ['tok', 5000]);
    expect(granted).toEqual([1, 1]);
    const info = (await adapter.evalScript(lockInspect, [key, `${key}:fence`], ['tok'])) as number[];
    expect(info[0]).toBeGreaterThan(4000);
    expect(info.slice(1)).toEqual([1, 1]);
    expect(await adapter.evalScript(lockRelease, [key], ['tok'])).toBe(1);
    await connection.raw('DEL', `${key}:fence`);
  });

  it('falls back to EVAL after SCRIPT FLUSH (NOSCRIPT) and caches the script again', async () => {
    const key = uniqueKey('noscript');
    await connection.raw('SCRIPT', 'FLUSH');
    expect(await connection.raw('SCRIPT', 'EXISTS', lockAcquire.sha1)).toEqual([0]);
    expect(await adapter.evalScript(lockAcquire, [key], ['tok', 5000])).toEqual([1, 0]);
    expect(await connection.raw('SCRIPT', 'EXISTS', lockAcquire.sha1)).toEqual([1]);
    expect(await adapter.evalScript(lockRelease, [key], ['tok'])).toBe(1);
  });

  it('sends the first run of a script as EVAL, so a request sent right behind it sees its effect', async () => {
    const key = uniqueKey('first-run');
    const source = `-- ${key}\nreturn redis.call('SET', KEYS[1], ARGV[1])`;
    const script = {
      ...lockRelease,
      name: 'first_run',
      source,
      sha1: createHash('sha1').update(source).digest('hex'),
    };
    expect(await connection.raw('SCRIPT', 'EXISTS', script.sha1)).toEqual([0]);
    const ran = adapter.evalScript(script, [key], ['v']);
    // Same connection: an EVALSHA answered NOSCRIPT would send its EVAL only after this GET.
    const read = connection.raw('GET', key);
    expect(await ran).toBe('OK');
    expect(await read).toBe('v');
    expect(await connection.raw('SCRIPT', 'EXISTS', script.sha1)).toEqual([1]);
    await connection.raw('DEL', key);
  });

  it('surfaces Redis errors such as WRONGTYPE', async () => {
    const key = uniqueKey('wrongtype');
    await connection.raw('HSET', key, 'f', 'v');
    await expect(adapter.evalScript(lockRelease, [key], ['tok'])).rejects.toThrow(/WRONGTYPE/);
    await connection.raw('DEL', key);
  });

  it('delivers published messages only after the subscription is confirmed, and stops after unsubscribe', async () => {
    const channel = uniqueKey('channel');
    const first = nextMessage();
    const unsubscribe = await adapter.subscribe(channel, first.listener);
    // Subscription confirmed: a publish right now must arrive.
    await connection.raw('PUBLISH', channel, 'hello');
    expect(await within(first.promise, 2000)).toBe('hello');
    await unsubscribe();
    expect(await connection.raw('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 0]);
  });

  it('shares one subscription between listeners of a channel', async () => {
    const channel = uniqueKey('shared');
    const a = nextMessage();
    const b = nextMessage();
    const offA = await adapter.subscribe(channel, a.listener);
    const offB = await adapter.subscribe(channel, b.listener);
    expect(await connection.raw('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 1]);
    await connection.raw('PUBLISH', channel, 'both');
    expect(await within(Promise.all([a.promise, b.promise]), 2000)).toEqual(['both', 'both']);
    await offA();
    expect(await connection.raw('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 1]);
    await offB();
    expect(await connection.raw('PUBSUB', 'NUMSUB', channel)).toEqual([channel, 0]);
  });

  it('supports sharded pub/sub (SSUBSCRIBE)', async () => {
    const channel = uniqueKey('sharded');
    const message = nextMessage();
    const off = await adapter.subscribe(channel, message.listener, { sharded: true });
    await connection.raw('SPUBLISH', channel, 'sharded-hello');
    expect(await within(message.promise, 2000)).toBe('sharded-hello');
    await off();
  });
});

describe('adapter with a password-protected server', () => {
  it.each(clientKinds)('derives its subscriber from the %s client and keeps AUTH', async (kind) => {
    const server = await startRedis({ args: ['--requirepass', 's3cret'] });
    const authedUrl = `redis://:s3cret@${server.host}:${server.port}`;
    const connection = await connect(kind, authedUrl);
    const adapter = toAdapter(connection.client);
    try {
      const channel = uniqueKey('auth');
      const message = nextMessage();
      const off = await adapter.subscribe(channel, message.listener);
      await connection.raw('PUBLISH', channel, 'authed');
      expect(await within(message.promise, 2000)).toBe('authed');
      await off();
    } finally {
      await adapter.close();
      await connection.close();
      await server.stop();
    }
  });
});

describe('toAdapter', () => {
  it('accepts a custom RedisAdapter unchanged', () => {
    const custom: RedisAdapter = {
      kind: 'custom',
      isCluster: false,
      evalScript: async () => null,
      subscribe: async () => async () => undefined,
      close: async () => undefined,
    };
    expect(isRedisAdapter(custom)).toBe(true);
    expect(toAdapter(custom)).toBe(custom);
  });

  it.each([[{}], [null], ['redis://localhost'], [42]])(
    'rejects %j with a TypeError naming the parameter',
    (value) => {
      expect(() => toAdapter(value, 'options.client')).toThrow(TypeError);
      expect(() => toAdapter(value, 'options.client')).toThrow(/options\.client must be an ioredis/);
    },
  );
});

describe('observeAdapter', () => {
  it('reports every round trip and close, and forwards everything', async () => {
    const connection = await connect('ioredis', url);
    const seen: string[] = [];
    const adapter = observeAdapter(toAdapter(connection.client), {
      onScript: (script, keys) => seen.push(`${script.name} ${keys.length}`),
      onClose: () => seen.push('close'),
    });
    try {
      const key = uniqueKey('observe');
      expect(await adapter.evalScript(lockAcquire, [key], ['tok', 1000])).toEqual([1, 0]);
      expect(await adapter.evalScript(lockRelease, [key], ['tok'])).toBe(1);
      expect(adapter.kind).toBe('ioredis');
      expect(typeof adapter.evalScriptAndWait).toBe('function');
    } finally {
      await adapter.close();
      await connection.close();
    }
    expect(seen).toEqual(['lock_acquire 1', 'lock_release 1', 'close']);
  });
});

describe('ioredis subscriber of a client without an offline queue', () => {
  it('waits until the derived connection is ready before subscribing', async () => {
    const client = new Redis(url, { enableOfflineQueue: false });
    await new Promise((resolve) => client.once('ready', resolve));
    const adapter = toAdapter(client);
    try {
      const channel = uniqueKey('no-offline-queue');
      const message = nextMessage();
      const off = await adapter.subscribe(channel, message.listener);
      await client.publish(channel, 'ready');
      expect(await within(message.promise, 2000)).toBe('ready');
      await off();
    } finally {
      await adapter.close();
      await client.quit();
    }
  });
});

describe.each(clientKinds)('adapter over %s, closed while its server is down', (kind: ClientKind) => {
  // The server is killed, so the client connection is dropped by hand (QUIT would wait for the server).
  const drop = (client: unknown) =>
    kind === 'ioredis' ? (client as Redis).disconnect() : (client as { destroy(): void }).destroy();

  /** Connections the server has besides the one asking. */
  const otherConnections = (serverUrl: string) =>
    withClient(
      serverUrl,
      async (redis) =>
        String(await redis.call('CLIENT', 'LIST'))
          .trim()
          .split('\n').length - 1,
    );

  it('settles a subscribe waiting for the server, ends at once, and leaves no connection reconnecting', async () => {
    const server = await startRedis();
    const connection = await connect(kind, server.url);
    const adapter = toAdapter(connection.client);
    try {
      await server.kill();
      // The subscriber connection is opened now, against a server that is down.
      const waiting = adapter.subscribe(uniqueKey('down'), () => undefined);
      const outcome = waiting.then(
        () => 'subscribed',
        () => 'rejected',
      );
      const started = performance.now();
      await adapter.close();
      expect(performance.now() - started).toBeLessThan(GRACEFUL_CLOSE_TIMEOUT);
      expect(await within(outcome, 1000)).toBe('rejected');
      drop(connection.client);
      await server.restart();
      // A connection left behind would reconnect within its backoff (at most a few hundred ms here).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await otherConnections(server.url)).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('settles a replication-checked call queued for the server, before and after it restarts', async () => {
    const server = await startRedis();
    const connection = await connect(kind, server.url);
    const adapter = toAdapter(connection.client);
    const call = () =>
      adapter.evalScriptAndWait!(lockAcquire, [uniqueKey('queued')], ['tok', 5000], {
        replicas: 1,
        timeout: 10,
        shouldWait: () => true,
      });
    try {
      // Opens the replication check's own connection.
      expect((await call()).acknowledged).toBe(0);
      await server.kill();
      const queued = call();
      queued.catch(() => undefined);
      await server.restart();
      const started = performance.now();
      await adapter.close();
      expect(performance.now() - started).toBeLessThan(GRACEFUL_CLOSE_TIMEOUT + 500);
      expect(
        await within(
          queued.then(
            () => 'settled',
            () => 'settled',
          ),
          1000,
        ),
      ).toBe('settled');
      await expect(call()).rejects.toThrow(/adapter was closed/);
    } finally {
      drop(connection.client);
      await server.stop();
    }
  });
});

describe('adapter over a Cluster client, closed with a subscribe on the wire', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  beforeAll(async () => {
    cluster = await startCluster({ masters: 3 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const shardChannels = async () => {
    const perNode = await Promise.all(
      cluster.nodes.map((node) => withClient(node.url, (c) => c.call('PUBSUB', 'SHARDCHANNELS'))),
    );
    return perNode.flat() as string[];
  };

  it.each(clientKinds)('%s: leaves no sharded subscription behind', async (kind) => {
    const client =
      kind === 'ioredis'
        ? new Cluster(cluster.rootNodes)
        : createCluster({
            rootNodes: cluster.rootNodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
          });
    client.on('error', () => undefined);
    if (kind === 'ioredis') await new Promise((resolve) => (client as Cluster).once('ready', resolve));
    else await (client as ReturnType<typeof createCluster>).connect();
    try {
      for (let round = 0; round < 3; round++) {
        const adapter = toAdapter(client);
        const channel = `{${uniqueKey('wire')}}:released`;
        // Not awaited: close() comes while the SSUBSCRIBE (and the shard's subscriber connection) is under way.
        const subscribing = adapter.subscribe(channel, () => undefined, { sharded: true });
        subscribing.catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, round));
        await adapter.close();
        // An orphaned shard subscriber would finish connecting and subscribe a little later.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await shardChannels()).not.toContain(channel);
      }
    } finally {
      if (kind === 'ioredis') (client as Cluster).disconnect();
      else await (client as ReturnType<typeof createCluster>).close();
    }
  });
});
