import { createServer, type Server, Socket } from 'node:net';
import type { RedisEndpoint } from './server.js';

/** A user-space TCP proxy in front of a Redis server that injects network faults on demand. */
export interface ChaosProxy extends RedisEndpoint {
  /** Where the proxy forwards to. */
  readonly target: { readonly host: string; readonly port: number };
  /** Delay every chunk in both directions by `ms` (+ up to `jitterMs` random), preserving order. */
  setDelay(ms: number, jitterMs?: number): void;
  /** Accept and hold bytes in both directions without forwarding anything; connections stay open. */
  blackhole(on: boolean): void;
  /** Reset (RST) every current connection; clients see a dropped connection and reconnect. */
  resetAll(): void;
  /** Forward client→server bytes but discard every server→client byte (commands run, replies vanish). */
  dropReplies(on: boolean): void;
  /** Discard the next server→client chunk, then reset that connection (the "ambiguous reply" fault). */
  dropNextReply(): void;
  /** Back to a transparent proxy: no delay, no blackhole (held bytes are delivered), no dropping. */
  heal(): void;
  /** Number of currently open client connections. */
  readonly connections: number;
  /** Stop listening and destroy every connection. */
  close(): Promise<void>;
}

/** Options for `createChaosProxy()`. */
export interface ChaosProxyOptions {
  /** Port to listen on (default: a free port). */
  port?: number;
}

interface Chunk {
  data: Buffer;
  due: number;
}

interface ProxyState {
  delayMs: number;
  jitterMs: number;
  blackholed: boolean;
  dropping: boolean;
  dropNextArmed: boolean;
}

/** One direction of one proxied connection: an ordered queue of chunks with due times. */
class Pipe {
  private readonly queue: Chunk[] = [];
  private lastDue = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The source half-closed: end the destination once the queue drains. */
  ended = false;
  /** The destination can be written to. */
  ready = false;

  constructor(
    private readonly state: ProxyState,
    private readonly dest: Socket,
  ) {}

  push(data: Buffer): void {
    const { delayMs, jitterMs } = this.state;
    let due = performance.now() + delayMs + (jitterMs > 0 ? Math.random() * jitterMs : 0);
    if (due < this.lastDue) due = this.lastDue; // never reorder
    this.lastDue = due;
    this.queue.push({ data, due });
    this.pump();
  }

  pump(): void {
    if (this.state.blackholed || !this.ready || this.dest.destroyed) return;
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.due <= now) {
      this.dest.write(this.queue.shift()!.data);
    }
    const head = this.queue[0];
    if (head) {
      if (!this.timer) {
        this.timer = setTimeout(
          () => {
            this.timer = undefined;
            this.pump();
          },
          Math.max(0, head.due - now),
        );
        this.timer.unref();
      }
    } else if (this.ended && !this.dest.writableEnded) {
      this.dest.end();
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

/** A client connection and its upstream connection. */
class Conn {
  readonly upstream: Socket;
  private readonly up: Pipe;
  private readonly down: Pipe;
  private closed = false;

  constructor(
    private readonly proxy: ChaosProxyImpl,
    private readonly client: Socket,
    target: { host: string; port: number },
  ) {
    const state = proxy.state;
    this.upstream = new Socket({ allowHalfOpen: true });
    this.up = new Pipe(state, this.upstream);
    this.down = new Pipe(state, client);
    this.down.ready = true;
    client.setNoDelay(true);

    client.on('data', (data: Buffer) => this.up.push(data));
    client.on('end', () => {
      this.up.ended = true;
      this.up.pump();
    });
    client.on('error', () => this.destroy());
    client.on('close', () => this.destroy());

    this.upstream.on('data', (data: Buffer) => {
      if (state.dropping) return;
      if (state.dropNextArmed) {
        state.dropNextArmed = false;
        this.reset();
        return;
      }
      this.down.push(data);
    });
    this.upstream.on('end', () => {
      this.down.ended = true;
      this.down.pump();
    });
    this.upstream.on('error', () => this.destroy());
    this.upstream.on('close', () => {
      // Deliver what is still queued for the client, then end it; a reset already destroyed it.
      this.down.ended = true;
      this.down.pump();
    });
    this.upstream.connect({ host: target.host, port: target.port }, () => {
      this.upstream.setNoDelay(true);
      this.up.ready = true;
      this.up.pump();
    });
  }

  pump(): void {
    this.up.pump();
    this.down.pump();
  }

  /** Abort both sides; the client gets an RST. */
  reset(): void {
    if (this.closed) return;
    try {
      this.client.resetAndDestroy();
    } catch {
      this.client.destroy();
    }
    this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.up.dispose();
    this.down.dispose();
    this.client.destroy();
    this.upstream.destroy();
    this.proxy.conns.delete(this);
  }
}

class ChaosProxyImpl implements ChaosProxy {
  readonly host = '127.0.0.1';
  readonly state: ProxyState = {
    delayMs: 0,
    jitterMs: 0,
    blackholed: false,
    dropping: false,
    dropNextArmed: false,
  };
  readonly conns = new Set<Conn>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly server: Server,
    readonly port: number,
    readonly target: { readonly host: string; readonly port: number },
  ) {
    server.on('connection', (socket: Socket) => {
      if (this.closing) {
        socket.destroy();
        return;
      }
      this.conns.add(new Conn(this, socket, target));
    });
  }

  get url(): string {
    return `redis://${this.host}:${this.port}`;
  }

  get connections(): number {
    return this.conns.size;
  }

  setDelay(ms: number, jitterMs = 0): void {
    if (!(ms >= 0) || !(jitterMs >= 0)) throw new RangeError('setDelay(): ms and jitterMs must be >= 0');
    this.state.delayMs = ms;
    this.state.jitterMs = jitterMs;
  }

  blackhole(on: boolean): void {
    this.state.blackholed = on;
    if (!on) this.pumpAll();
  }

  resetAll(): void {
    for (const conn of [...this.conns]) conn.reset();
  }

  dropReplies(on: boolean): void {
    this.state.dropping = on;
  }

  dropNextReply(): void {
    this.state.dropNextArmed = true;
  }

  heal(): void {
    this.state.delayMs = 0;
    this.state.jitterMs = 0;
    this.state.dropping = false;
    this.state.dropNextArmed = false;
    this.state.blackholed = false;
    this.pumpAll();
  }

  private pumpAll(): void {
    for (const conn of this.conns) conn.pump();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const conn of [...this.conns]) conn.destroy();
    });
    return this.closing;
  }
}

/** Start a chaos proxy on 127.0.0.1 (a free port unless `options.port`) forwarding to `target`. */
export async function createChaosProxy(
  target: { host: string; port: number },
  options: ChaosProxyOptions = {},
): Promise<ChaosProxy> {
  const server = createServer({ allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return new ChaosProxyImpl(server, port, { host: target.host, port: target.port });
}
