import type { LuaScript } from '@redis-locks/scripts';
import { CloseSignal } from './close-signal.js';
import { endConnection, type OwnConnection } from './end-connection.js';
import { ScriptSender } from './noscript.js';
import { assertReplicaWaitOptions } from './replica-wait.js';
import { type SubscriberConnection, SubscriptionHub } from './subscription-hub.js';
import type {
  RedisAdapter,
  ReplicaWaitOptions,
  ReplicaWaitResult,
  ScriptArg,
  SubscribeOptions,
  Unsubscribe,
} from './types.js';

type Listener = (...args: any[]) => void;

/** The part of an ioredis Redis or Cluster client this adapter uses (matched by shape, never instanceof). */
export interface IoredisLike {
  readonly status: string;
  readonly isCluster?: boolean;
  evalsha(sha: string, numKeys: number, ...keysAndArgs: ScriptArg[]): Promise<unknown>;
  eval(source: string, numKeys: number, ...keysAndArgs: ScriptArg[]): Promise<unknown>;
  duplicate(...args: any[]): IoredisLike;
}

interface IoredisPipeline {
  evalsha(sha: string, numKeys: number, ...keysAndArgs: ScriptArg[]): IoredisPipeline;
  eval(source: string, numKeys: number, ...keysAndArgs: ScriptArg[]): IoredisPipeline;
  wait(replicas: number, timeout: number): IoredisPipeline;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

interface IoredisWaiter extends IoredisLike {
  wait(replicas: number, timeout: number): Promise<number>;
  pipeline(): IoredisPipeline;
  on(event: string, listener: Listener): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

interface IoredisSubscriber extends IoredisLike {
  connect(): Promise<void>;
  once(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  ssubscribe(channel: string): Promise<unknown>;
  sunsubscribe(channel: string): Promise<unknown>;
  on(event: string, listener: Listener): unknown;
  removeAllListeners(event?: string): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** True when `client` looks like an ioredis Redis or Cluster client. */
export function isIoredisClient(client: unknown): client is IoredisLike {
  const c = client as Partial<IoredisLike> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.evalsha === 'function' &&
    typeof c.duplicate === 'function' &&
    typeof c.status === 'string'
  );
}

/** Resolves once an ioredis connection can take commands; connects a lazy one. */
async function whenReady(connection: IoredisSubscriber): Promise<void> {
  if (connection.status === 'ready') return;
  if (connection.status === 'wait') return connection.connect();
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      connection.off('end', onEnd);
      resolve();
    };
    const onEnd = () => {
      connection.off('ready', onReady);
      reject(new Error('The subscriber connection closed before it was ready.'));
    };
    connection.once('ready', onReady);
    connection.once('end', onEnd);
  });
}

/** Adapter over an ioredis `Redis` or `Cluster` client. */
export class IoredisAdapter implements RedisAdapter {
  readonly kind = 'ioredis';
  readonly isCluster: boolean;
  private readonly hub: SubscriptionHub;
  private readonly scripts = new ScriptSender();
  /** Settles calls on our own connections once close() runs, even those queued for a server that is down. */
  private readonly closed = new CloseSignal();
  private waiter: IoredisWaiter | undefined;

  constructor(private readonly client: IoredisLike) {
    this.isCluster = client.isCluster === true;
    this.hub = new SubscriptionHub((deliver) => this.openSubscriber(deliver));
  }

  evalScript(script: LuaScript, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    return this.runScript(this.client, script, keys, args);
  }

  async evalScriptAndWait(
    script: LuaScript,
    keys: readonly string[],
    args: readonly ScriptArg[],
    options: ReplicaWaitOptions,
  ): Promise<ReplicaWaitResult> {
    assertReplicaWaitOptions(options);
    this.closed.throwIfClosed();
    return this.closed.race(this.runScriptAndWait(script, keys, args, options));
  }

  private async runScriptAndWait(
    script: LuaScript,
    keys: readonly string[],
    args: readonly ScriptArg[],
    options: ReplicaWaitOptions,
  ): Promise<ReplicaWaitResult> {
    if (!this.waiter) {
      // Standalone: a second connection; Cluster: a second Cluster client, with a connection per node.
      this.waiter = this.client.duplicate() as IoredisWaiter;
      this.waiter.on('error', () => undefined);
    }
    const waiter = this.waiter;
    if (this.isCluster) return this.evalScriptAndWaitOnCluster(waiter, script, keys, args, options);
    const reply = await this.runScript(waiter, script, keys, args);
    if (!options.shouldWait(reply)) return { reply, acknowledged: undefined };
    return { reply, acknowledged: Number(await waiter.wait(options.replicas, options.timeout)) };
  }

  /**
   * WAIT has no key, so an ioredis Cluster would send it to any node. Pipelined behind the script, it goes to
   * the primary that ran the script, on the same connection (and again with it, should a MOVED redirect the
   * pipeline). It therefore runs after every script, also one that wrote nothing: then it answers at once,
   * unless an earlier write of this connection still lacks acknowledgements.
   */
  private async evalScriptAndWaitOnCluster(
    waiter: IoredisWaiter,
    script: LuaScript,
    keys: readonly string[],
    args: readonly ScriptArg[],
    options: ReplicaWaitOptions,
  ): Promise<ReplicaWaitResult> {
    const [[, reply], [waitError, acknowledged]] = await this.scripts.run(script, async (bySha) => {
      const pipeline = waiter.pipeline();
      if (bySha) pipeline.evalsha(script.sha1, keys.length, ...keys, ...args);
      else pipeline.eval(script.source, keys.length, ...keys, ...args);
      const results = await pipeline.wait(options.replicas, options.timeout).exec();
      if (results?.length !== 2) throw new Error('The Cluster pipeline of a script and WAIT was dropped.');
      // The script's error (NOSCRIPT included) is thrown; WAIT's only matters once the script wrote.
      if (results[0]![0]) throw results[0]![0];
      return results as [[null, unknown], [Error | null, unknown]];
    });
    if (!options.shouldWait(reply)) return { reply, acknowledged: undefined };
    if (waitError) throw waitError;
    return { reply, acknowledged: Number(acknowledged) };
  }

  private runScript(
    client: IoredisLike,
    script: LuaScript,
    keys: readonly string[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    return this.scripts.run(script, (bySha) =>
      bySha
        ? client.evalsha(script.sha1, keys.length, ...keys, ...args)
        : client.eval(script.source, keys.length, ...keys, ...args),
    );
  }

  subscribe(
    channel: string,
    listener: (message: string) => void,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe> {
    return this.hub.subscribe(channel, listener, options);
  }

  async close(): Promise<void> {
    this.closed.close();
    const waiter = this.waiter;
    this.waiter = undefined;
    await Promise.all([this.hub.close(), waiter && endConnection(ownIoredisConnection(waiter))]);
  }

  private openSubscriber(deliver: (channel: string, message: string) => void): SubscriberConnection {
    // duplicate() keeps every connection option of the user's client: AUTH, TLS, db, family, ...
    const subscriber = (
      this.isCluster
        ? this.client.duplicate(undefined, { shardedSubscribers: true })
        : this.client.duplicate()
    ) as IoredisSubscriber;
    // Connection errors of the subscriber are retried by ioredis; waiters fall back to re-checking meanwhile.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, message: string) => deliver(channel, message));
    subscriber.on('smessage', (channel: string, message: string) => deliver(channel, message));
    const own = ownIoredisConnection(subscriber);
    return {
      // A client made with enableOfflineQueue: false refuses commands until connected: wait for 'ready'.
      ready: whenReady(subscriber),
      isReady: own.isReady,
      subscribe: async (channel, sharded) => {
        await (sharded ? subscriber.ssubscribe(channel) : subscriber.subscribe(channel));
      },
      unsubscribe: async (channel, sharded) => {
        await (sharded ? subscriber.sunsubscribe(channel) : subscriber.unsubscribe(channel));
      },
      close: async () => {
        subscriber.removeAllListeners('message');
        subscriber.removeAllListeners('smessage');
        await endConnection(own);
        subscriber.removeAllListeners('error');
      },
    };
  }
}

/** An ioredis connection or client of ours, for {@link endConnection}. */
export function ownIoredisConnection(
  connection: Pick<IoredisWaiter, 'status' | 'quit' | 'disconnect'>,
): OwnConnection {
  return {
    isReady: () => connection.status === 'ready',
    quit: () => connection.quit(),
    drop: () => connection.disconnect(),
  };
}
