import type { LuaScript } from '@redis-locks/scripts';
import { isNoScriptError } from './noscript.js';
import { type SubscriberConnection, SubscriptionHub } from './subscription-hub.js';
import type { RedisAdapter, ScriptArg, SubscribeOptions, Unsubscribe } from './types.js';

type Listener = (message: string, channel: string) => void;

/** The part of a node-redis v4+ client or cluster this adapter uses (matched by shape, never instanceof). */
export interface NodeRedisLike {
  readonly isOpen: boolean;
  sendCommand(...args: any[]): Promise<unknown>;
  duplicate(...args: any[]): NodeRedisLike;
}

interface NodeRedisSubscriber extends NodeRedisLike {
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

/** Adapter over a node-redis v4+ client (`createClient`) or cluster (`createCluster`). */
export class NodeRedisAdapter implements RedisAdapter {
  readonly kind = 'node-redis';
  readonly isCluster: boolean;
  private readonly hub: SubscriptionHub;

  constructor(private readonly client: NodeRedisLike) {
    this.isCluster = isNodeRedisCluster(client);
    this.hub = new SubscriptionHub((deliver) => this.openSubscriber(deliver));
  }

  async evalScript(script: LuaScript, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    // node-redis sends only strings; numbers become their decimal form.
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await this.send(keys[0], ['EVALSHA', script.sha1, ...tail]);
    } catch (error) {
      if (!isNoScriptError(error)) throw error;
      return await this.send(keys[0], ['EVAL', script.source, ...tail]);
    }
  }

  subscribe(
    channel: string,
    listener: (message: string) => void,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe> {
    return this.hub.subscribe(channel, listener, options);
  }

  close(): Promise<void> {
    return this.hub.close();
  }

  private send(firstKey: string | undefined, args: string[]): Promise<unknown> {
    return this.isCluster ? this.client.sendCommand(firstKey, false, args) : this.client.sendCommand(args);
  }

  private async openSubscriber(
    deliver: (channel: string, message: string) => void,
  ): Promise<SubscriberConnection> {
    // duplicate() keeps the user's connection options: URL, AUTH, TLS, socket settings.
    const subscriber = this.client.duplicate() as NodeRedisSubscriber;
    // Reconnects are handled by node-redis; waiters fall back to re-checking meanwhile.
    subscriber.on('error', () => undefined);
    await subscriber.connect();
    const listener: Listener = (message, channel) => deliver(channel, message);
    return {
      subscribe: async (channel, sharded) => {
        await (sharded ? subscriber.sSubscribe(channel, listener) : subscriber.subscribe(channel, listener));
      },
      unsubscribe: async (channel, sharded) => {
        await (sharded
          ? subscriber.sUnsubscribe(channel, listener)
          : subscriber.unsubscribe(channel, listener));
      },
      close: async () => {
        try {
          if (typeof subscriber.close === 'function') await subscriber.close();
          else if (typeof subscriber.quit === 'function') await subscriber.quit();
          else await subscriber.disconnect?.();
        } catch {
          subscriber.destroy?.();
        }
        subscriber.removeAllListeners('error');
      },
    };
  }
}
