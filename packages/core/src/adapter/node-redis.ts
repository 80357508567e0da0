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

type Listener = (message: string, channel: string) => void;

/** The part of a node-redis v4+ client or cluster this adapter uses (matched by shape, never instanceof). */
export interface NodeRedisLike {
  readonly isOpen: boolean;
  sendCommand(...args: any[]): Promise<unknown>;
  duplicate(...args: any[]): NodeRedisLike;
}

export interface NodeRedisSubscriber extends NodeRedisLike {
  readonly isReady?: boolean;
  connect(): Promise<unknown>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  subscribe(channel: string, listener: Listener): Promise<unknown>;
  unsubscribe(channel: string, listener?: Listener): Promise<unknown>;
  sSubscribe(channel: string, listener: Listener): Promise<unknown>;
  sUnsubscribe(channel: string, listener?: Listener): Promise<unknown>;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  destroy?(): void;
  disconnect?(): Promise<unknown>;
}

/** True when `client` looks like a node-redis v4+ client or cluster. */
export function isNodeRedisClient(client: unknown): client is NodeRedisLike {
  const c = client as Partial<NodeRedisLike> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.sendCommand === 'function' &&
    typeof c.duplicate === 'function' &&
    typeof c.isOpen === 'boolean'
  );
}

function isNodeRedisCluster(client: NodeRedisLike): boolean {
  const c = client as unknown as { masters?: unknown; getMasters?: unknown };
  return c.masters !== undefined || typeof c.getMasters === 'function';
}

/** A node-redis connection of ours, for {@link endConnection}: close() in v5, quit() in v4; destroy() drops it. */
export function ownNodeRedisConnection(connection: NodeRedisSubscriber): OwnConnection {
  return {
    // A node-redis cluster may not say isReady; it is open once connected.
    isReady: () => connection.isReady ?? connection.isOpen,
    quit: async () => {
      if (typeof connection.close === 'function') await connection.close();
      else if (typeof connection.quit === 'function') await connection.quit();
      else await connection.disconnect?.();
    },
    drop: () => {
      if (typeof connection.destroy === 'function') connection.destroy();
      else void connection.disconnect?.().catch(() => undefined);
    },
  };
}

/** Ends a connection this adapter opened (see endConnection), then forgets its error listener. */
async function closeConnection(connection: NodeRedisSubscriber): Promise<void> {
  await endConnection(ownNodeRedisConnection(connection));
  connection.removeAllListeners('error');
}

/** Adapter over a node-redis v4+ client (`createClient`) or cluster (`createCluster`). */
export class NodeRedisAdapter implements RedisAdapter {
  readonly kind = 'node-redis';
  readonly isCluster: boolean;
  private readonly hub: SubscriptionHub;
  private readonly scripts = new ScriptSender();
  /** Settles calls on our own connections once close() runs, even those queued for a server that is down. */
  private readonly closed = new CloseSignal();
  /** The replication check's own connection, made on first use. */
  private waiter: { connection: NodeRedisSubscriber; ready: Promise<NodeRedisSubscriber> } | undefined;

  constructor(private readonly client: NodeRedisLike) {
    this.isCluster = isNodeRedisCluster(client);
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
      const connection = this.client.duplicate() as NodeRedisSubscriber;
      connection.on('error', () => undefined);
      const opened = { connection, ready: connection.connect().then(() => connection) };
      this.waiter = opened;
      // A failed connect must not poison later calls, nor leave a client reconnecting behind.
      opened.ready.catch(() => {
        if (this.waiter === opened) this.waiter = undefined;
        void closeConnection(connection);
      });
    }
    const waiter = await this.waiter.ready;
    const reply = await this.runScript(waiter, script, keys, args);
    if (!options.shouldWait(reply)) return { reply, acknowledged: undefined };
    // In a cluster, routing by the lock key sends WAIT to the same primary, on its one connection.
    const acknowledged = await this.send(waiter, keys[0], [
      'WAIT',
      String(options.replicas),
      String(options.timeout),
    ]);
    return { reply, acknowledged: Number(acknowledged) };
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
    await Promise.all([this.hub.close(), waiter && closeConnection(waiter.connection)]);
  }

  private runScript(
    client: NodeRedisLike,
    script: LuaScript,
    keys: readonly string[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    // node-redis sends only strings; numbers become their decimal form.
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    return this.scripts.run(script, (bySha) =>
      this.send(
        client,
        keys[0],
        bySha ? ['EVALSHA', script.sha1, ...tail] : ['EVAL', script.source, ...tail],
      ),
    );
  }

  private send(client: NodeRedisLike, firstKey: string | undefined, args: string[]): Promise<unknown> {
    return this.isCluster ? client.sendCommand(firstKey, false, args) : client.sendCommand(args);
  }

  private openSubscriber(deliver: (channel: string, message: string) => void): SubscriberConnection {
    // duplicate() keeps the user's connection options: URL, AUTH, TLS, socket settings.
    const subscriber = this.client.duplicate() as NodeRedisSubscriber;
    // Reconnects are handled by node-redis; waiters fall back to re-checking meanwhile.
    subscriber.on('error', () => undefined);
    const listener: Listener = (message, channel) => deliver(channel, message);
    return {
      ready: subscriber.connect().then(() => undefined),
      isReady: ownNodeRedisConnection(subscriber).isReady,
      subscribe: async (channel, sharded) => {
        await (sharded ? subscriber.sSubscribe(channel, listener) : subscriber.subscribe(channel, listener));
      },
      unsubscribe: async (channel, sharded) => {
        await (sharded
          ? subscriber.sUnsubscribe(channel, listener)
          : subscriber.unsubscribe(channel, listener));
      },
      close: () => closeConnection(subscriber),
    };
  }
}
