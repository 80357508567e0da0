import type { SubscribeOptions, Unsubscribe } from './types.js';

/** The subscriber connection a client-specific adapter provides to the hub. */
export interface SubscriberConnection {
  subscribe(channel: string, sharded: boolean): Promise<void>;
  unsubscribe(channel: string, sharded: boolean): Promise<void>;
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
  private connection: Promise<SubscriberConnection> | undefined;
  private closed = false;

  constructor(
    private readonly connect: (
      deliver: (channel: string, message: string) => void,
    ) => Promise<SubscriberConnection>,
  ) {}

  /** Subscribes a listener; resolves once the server confirmed the channel subscription. */
  async subscribe(
    channel: string,
    listener: (message: string) => void,
    options: SubscribeOptions = {},
  ): Promise<Unsubscribe> {
    if (this.closed) throw new Error('The adapter was closed.');
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
      current.pending = current.pending.then(async () => {
        if (current.listeners.size === 0) return;
        const connection = await this.getConnection();
        await connection.subscribe(channel, current.sharded);
      });
    }
    try {
      await state.pending;
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
    this.closed = true;
    this.channels.clear();
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await (await connection.catch(() => undefined))?.close();
  }

  private async remove(channel: string, listener: (message: string) => void): Promise<void> {
    const state = this.channels.get(channel);
    if (!state?.listeners.delete(listener) || state.listeners.size > 0) return;
    state.pending = state.pending
      .catch(() => undefined)
      .then(async () => {
        if (state.listeners.size > 0 || this.closed || !this.connection) return;
        if (this.channels.get(channel) === state) this.channels.delete(channel);
        await (await this.connection).unsubscribe(channel, state.sharded);
      });
    await state.pending;
  }

  private getConnection(): Promise<SubscriberConnection> {
    if (!this.connection) {
      this.connection = this.connect((channel, message) => {
        const state = this.channels.get(channel);
        if (!state) return;
        for (const listener of [...state.listeners]) listener(message);
      });
      // A failed connect must not poison later attempts.
      this.connection.catch(() => {
        this.connection = undefined;
      });
    }
    return this.connection;
  }
}
