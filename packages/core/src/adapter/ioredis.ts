import type { LuaScript } from '@redis-locks/scripts';
import { isNoScriptError } from './noscript.js';
import { type SubscriberConnection, SubscriptionHub } from './subscription-hub.js';
import type { RedisAdapter, ScriptArg, SubscribeOptions, Unsubscribe } from './types.js';

type Listener = (...args: any[]) => void;

/** The part of an ioredis Redis or Cluster client this adapter uses (matched by shape, never instanceof). */
export interface IoredisLike {
  readonly status: string;
  readonly isCluster?: boolean;
  evalsha(sha: string, numKeys: number, ...keysAndArgs: ScriptArg[]): Promise<unknown>;
  eval(source: string, numKeys: number, ...keysAndArgs: ScriptArg[]): Promise<unknown>;
  duplicate(...args: any[]): IoredisLike;
}

interface IoredisSubscriber extends IoredisLike {
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

/** Adapter over an ioredis `Redis` or `Cluster` client. */
export class IoredisAdapter implements RedisAdapter {
  readonly kind = 'ioredis';
  readonly isCluster: boolean;
  private readonly hub: SubscriptionHub;

  constructor(private readonly client: IoredisLike) {
    this.isCluster = client.isCluster === true;
    this.hub = new SubscriptionHub((deliver) => this.openSubscriber(deliver));
  }

  async evalScript(script: LuaScript, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    try {
      return await this.client.evalsha(script.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScriptError(error)) throw error;
      return await this.client.eval(script.source, keys.length, ...keys, ...args);
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

  private async openSubscriber(
    deliver: (channel: string, message: string) => void,
  ): Promise<SubscriberConnection> {
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
    return {
      subscribe: async (channel, sharded) => {
        await (sharded ? subscriber.ssubscribe(channel) : subscriber.subscribe(channel));
      },
      unsubscribe: async (channel, sharded) => {
        await (sharded ? subscriber.sunsubscribe(channel) : subscriber.unsubscribe(channel));
      },
      close: async () => {
        subscriber.removeAllListeners('message');
        subscriber.removeAllListeners('smessage');
        try {
          await subscriber.quit();
        } catch {
          subscriber.disconnect();
        }
        subscriber.removeAllListeners('error');
      },
    };
  }
}
