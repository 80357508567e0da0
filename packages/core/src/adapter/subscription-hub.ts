import { settlesWithin } from '../timers.js';
import { CloseSignal } from './close-signal.js';
import { GRACEFUL_CLOSE_TIMEOUT } from './end-connection.js';
import type { SubscribeOptions, Unsubscribe } from './types.js';

/** The subscriber connection a client-specific adapter provides to the hub. */
export interface SubscriberConnection {
  /** Resolves once the connection takes commands; rejects when it cannot be made. */
  readonly ready: Promise<void>;
  /** Connected and taking commands now. */
  isReady(): boolean;
  subscribe(channel: string, sharded: boolean): Promise<void>;
  unsubscribe(channel: string, sharded: boolean): Promise<void>;
  /** Ends the connection, also one still connecting; settles soon and never rejects. */
  close(): Promise<void>;
}

interface ChannelState {
  readonly listeners: Set<(message: string) => void>;
  readonly sharded: boolean;
  /** Serialises subscribe/unsubscribe of this channel so their order on the wire matches ours. */
  pending: Promise<void>;
}

/**
 * Multiplexes many listeners over one lazily created subscriber connection: the first listener of a
 * channel subscribes it, the last one to leave unsubscribes it.
 */
export class SubscriptionHub {
  private readonly channels = new Map<string, ChannelState>();
  private connection: SubscriberConnection | undefined;
  /** Settles subscribes still waiting for a server that is down once close() runs. */
  private readonly closed = new CloseSignal();
  /** SUBSCRIBEs and UNSUBSCRIBEs on the wire; close() lets them finish first. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly open: (deliver: (channel: string, message: string) => void) => SubscriberConnection,
  ) {}

  /** Subscribes a listener; resolves once the server confirmed the channel subscription. */
  async subscribe(
    channel: string,
    listener: (message: string) => void,
    options: SubscribeOptions = {},
  ): Promise<Unsubscribe> {
    this.closed.throwIfClosed();
    const sharded = options.sharded === true;
    let state = this.channels.get(channel);
    if (!state) {
      state = { listeners: new Set(), sharded, pending: Promise.resolve() };
      this.channels.set(channel, state);
    }
    const first = state.listeners.size === 0;
    state.listeners.add(listener);
    if (first) {
      const current = state;
      current.pending = this.track(
        current.pending.then(async () => {
          if (current.listeners.size === 0) return;
          const connection = await this.getConnection();
          await connection.subscribe(channel, current.sharded);
        }),
      );
    }
    try {
      await this.closed.race(state.pending);
    } catch (error) {
      state.listeners.delete(listener);
      if (state.listeners.size === 0) this.channels.delete(channel);
      throw error;
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      await this.remove(channel, listener);
    };
  }

  /** Closes the subscriber connection, if one was opened. */
  async close(): Promise<void> {
    this.closed.close();
    this.channels.clear();
    const connection = this.connection;
    this.connection = undefined;
    if (!connection) return;
    // Closing under a SUBSCRIBE on the wire can orphan the connection it is opening (a node-redis Cluster's
    // per-shard subscriber, which then stays subscribed); only while connected, as a server that is down
    // would keep it waiting.
    if (connection.isReady()) {
      await settlesWithin(Promise.allSettled([...this.inFlight]), GRACEFUL_CLOSE_TIMEOUT);
    }
    await connection.close();
  }

  /** Tracks a channel operation until it settles. */
  private track(operation: Promise<void>): Promise<void> {
    this.inFlight.add(operation);
    const forget = () => this.inFlight.delete(operation);
    operation.then(forget, forget);
    return operation;
  }

  private async remove(channel: string, listener: (message: string) => void): Promise<void> {
    const state = this.channels.get(channel);
    if (!state?.listeners.delete(listener) || state.listeners.size > 0) return;
    state.pending = this.track(
      state.pending
        .catch(() => undefined)
        .then(async () => {
          if (state.listeners.size > 0 || this.closed.isClosed || !this.connection) return;
          if (this.channels.get(channel) === state) this.channels.delete(channel);
          await (await this.getConnection()).unsubscribe(channel, state.sharded);
        }),
    );
    // close() ends the connection anyway: an UNSUBSCRIBE waiting for a server that is down need not finish.
    await this.closed.raceQuietly(state.pending);
  }

  private async getConnection(): Promise<SubscriberConnection> {
    // After close(), a subscribe still queued behind another must not open a connection nobody ends.
    this.closed.throwIfClosed();
    if (!this.connection) {
      const connection = this.open((channel, message) => {
        const state = this.channels.get(channel);
        if (!state) return;
        for (const listener of [...state.listeners]) listener(message);
      });
      this.connection = connection;
      // A failed connect must not poison later attempts, nor leave a client reconnecting behind.
      connection.ready.catch(() => {
        if (this.connection === connection) this.connection = undefined;
        void connection.close();
      });
    }
    const connection = this.connection;
    await connection.ready;
    return connection;
  }
}
