import { type ChildProcess, fork } from 'node:child_process';
import type { NumberedRequest, WorkerMessage, WorkerRequest } from './worker-protocol.js';

interface Pending {
  op: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onWaiting?: () => void;
  timer: NodeJS.Timeout;
}

/** A failure reported by, or about, a compare worker process. */
export class WorkerError extends Error {
  /** The error code the worker reported, if any. */
  readonly code: string | undefined;

  constructor(message: string, code?: string) {
    super(message);
    this.name = 'WorkerError';
    this.code = code;
  }
}

/** Options of one request to a worker. */
export interface RequestOptions {
  /** Reject when no reply arrives within this many ms. */
  readonly timeoutMs: number;
  /** Called when the worker reports it is waiting (for `wait` requests). */
  readonly onWaiting?: () => void;
}

/** A forked compare worker process and the request/reply channel to it. */
export class WorkerProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exitError: Error | undefined;
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>;

  constructor(
    modulePath: string,
    /** Index of this worker among its siblings. */
    readonly index: number,
  ) {
    this.child = fork(modulePath, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: [],
    });
    this.child.on('message', (message) => this.receive(message as WorkerMessage));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitError = new WorkerError(
          `compare worker ${index} exited${signal ? ` on ${signal}` : ` with code ${code}`} before replying`,
        );
        this.failAll(this.exitError);
        resolve();
      });
      this.child.once('error', (error) => {
        this.exitError = new WorkerError(`compare worker ${index} failed: ${error.message}`);
        this.failAll(this.exitError);
      });
    });
  }

  /** Sends `request` and resolves with the worker's result. */
  request<T>(request: WorkerRequest, options: RequestOptions): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new WorkerError(
            `compare worker ${this.index}: no reply to '${request.op}' within ${options.timeoutMs} ms`,
          ),
        );
      }, options.timeoutMs);
      this.pending.set(id, {
        op: request.op,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
        ...(options.onWaiting ? { onWaiting: options.onWaiting } : {}),
      });
      const numbered: NumberedRequest = { ...request, id };
      this.child.send(numbered, (error) => {
        if (error)
          this.settle(id, undefined, new WorkerError(`compare worker ${this.index}: ${error.message}`));
      });
    });
  }

  /** Closes the IPC channel, which ends the worker; resolves once it exited. */
  async disconnect(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }

  /** Kills the worker at once (SIGKILL) and resolves once it exited. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private receive(message: WorkerMessage): void {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    if ('event' in message) {
      entry.onWaiting?.();
      return;
    }
    if (message.ok) this.settle(message.id, message.result);
    else {
      const text = `compare worker ${this.index}, '${entry.op}': ${message.error.message}`;
      this.settle(message.id, undefined, new WorkerError(text, message.error.code));
    }
  }

  private settle(id: number, value: unknown, error?: Error): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (error) entry.reject(error);
    else entry.resolve(value);
  }

  private failAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, error);
  }
}
