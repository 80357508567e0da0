import type { LuaScript } from '@redis-locks/scripts';

/** A script argument: numbers are sent as their decimal string. */
export type ScriptArg = string | number;

/** Stops a subscription; resolves once the server no longer sends its messages. */
export type Unsubscribe = () => Promise<void>;

/** Options of {@link RedisAdapter.subscribe}. */
export interface SubscribeOptions {
  /** Use sharded pub/sub (SSUBSCRIBE, Redis 7+), as Cluster deployments should. */
  readonly sharded?: boolean;
}

/**
 * All Redis I/O of the library goes through this interface. Built-in adapters wrap ioredis and
 * node-redis clients; pass your own object to support another client.
 */
export interface RedisAdapter {
  /** Which client this adapter wraps ('ioredis', 'node-redis', or your own name). */
  readonly kind: string;
  /** True when the client is a Cluster client. */
  readonly isCluster: boolean;
  /** Runs a script by EVALSHA, falling back to EVAL when the server does not know it (NOSCRIPT). */
  evalScript(script: LuaScript, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown>;
  /**
   * Subscribes `listener` to `channel` on a subscriber connection derived from the client (same
   * AUTH/TLS). Resolves only once the server confirmed the subscription.
   */
  subscribe(
    channel: string,
    listener: (message: string) => void,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe>;
  /** Closes the connections this adapter opened; never the client it was given. */
  close(): Promise<void>;
}
