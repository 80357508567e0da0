import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NumberedRequest, WorkerMessage, WorkerRequest } from './protocol.js';

const WORKER_MODULE = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onWaiting?: () => void;
  timer: NodeJS.Timeout;
}

/** One forked bench worker (same tsx loader as the bench, inherited through execArgv) and its request channel. */
export class BenchWorker {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(readonly index: number) {
    this.child = fork(WORKER_MODULE, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (raw) => {
      const message = raw as WorkerMessage;
      const entry = this.pending.get(message.id);
      if (!entry) return;
      if ('event' in message) return entry.onWaiting?.();
      this.pending.delete(message.id);
      clearTimeout(entry.timer);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new Error(`worker ${this.index}: ${message.error}`));
    });
    this.child.once('exit', (code) => {
      for (const [id, entry] of this.pending) {
        this.pending.delete(id);
        clearTimeout(entry.timer);
        entry.reject(new Error(`worker ${this.index} exited with code ${code}`));
      }
    });
  }

  /** Sends `request`; rejects after `timeoutMs` without a reply. */
  request<T>(request: WorkerRequest, timeoutMs = 60_000, onWaiting?: () => void): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`worker ${this.index}: no reply to ${request.op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
        ...(onWaiting ? { onWaiting } : {}),
      });
      this.child.send({ ...request, id } satisfies NumberedRequest);
    });
  }

  /** Ends the worker (closing the channel makes it exit). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.connected) this.child.disconnect();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
  }
}

/** `count` bench workers. */
export function startWorkers(count: number): BenchWorker[] {
  return Array.from({ length: count }, (_, index) => new BenchWorker(index));
}
