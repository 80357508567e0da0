import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

let entry: { path: string; execArgv: string[] } | undefined;

/**
 * The worker as plain JavaScript: bundled once per test process with esbuild (packages stay external and
 * resolve from this package's node_modules), because starting every worker under tsx costs about a second
 * of CPU each on a loaded 2-core machine. Falls back to tsx when esbuild is unavailable.
 */
function workerEntry(): { path: string; execArgv: string[] } {
  if (entry) return entry;
  const out = join(PACKAGE_DIR, 'node_modules', '.cache', 'faults', 'worker.mjs');
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(out), { recursive: true });
    execFileSync(
      join(PACKAGE_DIR, 'node_modules', '.bin', 'esbuild'),
      [
        WORKER,
        '--bundle',
        '--platform=node',
        '--format=esm',
        '--packages=external',
        '--target=node20',
        `--outfile=${tmp}`,
        '--log-level=error',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 },
    );
    renameSync(tmp, out); // atomic: a worker forked by another run never reads a half-written file
    entry = { path: out, execArgv: [] };
  } catch {
    entry = { path: WORKER, execArgv: ['--import', 'tsx'] };
  }
  return entry;
}

/** Decides a fenced write a worker asked for: `fenced` false means "write without checking the token". */
export type FenceHandler = (key: string, token: number, owner: string, fenced: boolean) => boolean;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEvent?: (event: string) => void;
  timer: NodeJS.Timeout;
}

/** A worker process (worker.ts, bundled or run with tsx) and its request channel. SIGSTOP-able. */
export class Worker {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Where fenced writes go; scenarios set it. */
  onFence: FenceHandler = () => true;

  constructor(readonly name: string) {
    const { path, execArgv } = workerEntry();
    this.child = fork(path, [], {
      cwd: PACKAGE_DIR,
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (raw: any) => {
      if (raw?.rpc === 'fence') {
        const accepted = this.onFence(raw.key, raw.token, raw.owner, raw.fenced);
        if (this.child.connected) this.child.send({ rid: raw.rid, accepted });
        return;
      }
      const entry = this.pending.get(raw.id);
      if (!entry) return;
      if ('event' in raw) return entry.onEvent?.(raw.event);
      this.pending.delete(raw.id);
      clearTimeout(entry.timer);
      if (raw.ok) entry.resolve(raw.result);
      else entry.reject(new Error(`worker ${this.name}: ${raw.error}`));
    });
    this.child.once('exit', (code, signal) => {
      for (const [id, entry] of this.pending) {
        this.pending.delete(id);
        clearTimeout(entry.timer);
        entry.reject(new Error(`worker ${this.name} exited (${code ?? signal})`));
      }
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Sends `{ op, ...args }`; rejects after `timeoutMs` without a reply (a hung call is a failure, never a hang). */
  request<T>(
    op: string,
    args: Record<string, unknown> = {},
    timeoutMs = 60_000,
    onEvent?: (event: string) => void,
  ): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`worker ${this.name}: no reply to ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
        ...(onEvent ? { onEvent } : {}),
      });
      this.child.send({ op, ...args, id });
    });
  }

  /** SIGSTOP: the process freezes wherever it is (e.g. between acquire and write). */
  pause(): void {
    this.child.kill('SIGSTOP');
  }

  /** SIGCONT. */
  resume(): void {
    this.child.kill('SIGCONT');
  }

  /** Close the strategy and connections, then end the process (SIGKILL after 3 s). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.resume();
    await this.request('close', {}, 3000).catch(() => undefined);
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.connected) this.child.disconnect();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
  }
}

/** Starts `count` workers and initialises each with the same strategy (`init` args), named w0, w1, … */
export async function startWorkers(
  count: number,
  init: Record<string, unknown> & { strategy: string; urls: string[]; namespace: string },
): Promise<Worker[]> {
  const workers = Array.from({ length: count }, (_, i) => new Worker(`w${i}`));
  try {
    await Promise.all(workers.map((w) => w.request('init', { ...init, name: w.name }, 30_000)));
  } catch (error) {
    await stopWorkers(workers);
    throw error;
  }
  return workers;
}

export async function stopWorkers(workers: readonly Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.stop()));
}
