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

/** Options of {@link RedisAdapter.evalScriptAndWait}. */
export interface ReplicaWaitOptions {
  /** Replicas that must acknowledge the write. */
  readonly replicas: number;
  /** Longest time WAIT may block, in ms (0 would block forever, so it is rejected). */
  readonly timeout: number;
  /** Decides from the script's reply whether anything was written, so WAIT is sent only then. */
  readonly shouldWait: (reply: unknown) => boolean;
}

/** What {@link RedisAdapter.evalScriptAndWait} found. */
export interface ReplicaWaitResult {
  /** The script's reply. */
  readonly reply: unknown;
  /** Replicas that acknowledged, or undefined when WAIT was not sent. */
  readonly acknowledged: number | undefined;
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
  /** Runs a script: EVAL on its first run, then EVALSHA, falling back to EVAL on NOSCRIPT. */
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
  /**
   * Runs a script, then — only when `shouldWait(reply)` — `WAIT replicas timeout` on the same connection,
   * so WAIT covers exactly that write. Uses a connection dedicated to such writes (derived from the
   * client), so a blocking WAIT never delays commands sent on the user's client.
   */
  evalScriptAndWait?(
    script: LuaScript,
    keys: readonly string[],
    args: readonly ScriptArg[],
    options: ReplicaWaitOptions,
  ): Promise<ReplicaWaitResult>;
  /** Closes the connections this adapter opened; never the client it was given. */
  close(): Promise<void>;
}
