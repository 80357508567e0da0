import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { withClient } from './client.js';

/** Where a Redis server can be reached (always a loopback address for servers started here). */
export interface RedisEndpoint {
  /** Host name or IP address, `127.0.0.1` for local servers. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Connection URL, `redis://127.0.0.1:PORT`. */
  readonly url: string;
}

/** Options accepted by `restart()`. */
export interface RestartOptions {
  /** Wait this long (ms) between the crash and the new start. */
  delayMs?: number;
  /** Start the new process with (`true`) or without (`false`) AOF; sticky for later restarts. */
  appendonly?: boolean;
}

/** A Redis server owned by the test, with fault-injection methods. */
export interface RedisServer extends RedisEndpoint {
  /** OS process id while the process runs, `undefined` when killed/stopped (or in a container). */
  readonly pid: number | undefined;
  /** Freeze the process (SIGSTOP): connections stay open, nothing is answered. */
  pause(): Promise<void>;
  /** Thaw a paused process (SIGCONT). */
  resume(): Promise<void>;
  /** Crash the process (SIGKILL) and wait until it has exited; unflushed data is lost. */
  kill(): Promise<void>;
  /** Crash the process if it runs, optionally wait, and start it again on the same port and data dir. */
  restart(options?: RestartOptions): Promise<void>;
  /** Run `CLIENT PAUSE ms ALL` through a short-lived connection (resolves once the pause started). */
  clientPause(ms: number): Promise<void>;
  /** Kill the process and remove its temp dir; idempotent. */
  stop(): Promise<void>;
}

/** Options for `startRedis()`. */
export interface StartRedisOptions {
  /** Enable the append-only file (default `false`). */
  appendonly?: boolean;
  /** `appendfsync` policy when AOF is on (default `'always'`, so a kill -9 loses nothing acknowledged). */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Extra `redis-server` arguments, appended last (so they override the defaults). */
  args?: string[];
  /** How long to wait for the first PONG, in ms (default 15000). */
  startupTimeoutMs?: number;
}

const LOOPBACK = '127.0.0.1';

/** Error thrown by fault methods on servers that are not local processes (testcontainers). */
export class UnsupportedFaultError extends Error {
  /** Stable error code. */
  readonly code = 'ERR_FAULT_NOT_SUPPORTED';
  constructor(fault: string) {
    super(
      `${fault}() is not supported with containers: install a redis-server binary (apt-get install redis-server, ` +
        'brew install redis) or set REDIS_SERVER_BIN so servers run as local processes',
    );
    this.name = 'UnsupportedFaultError';
  }
}

// ---------------------------------------------------------------------------------------------
// Process registry: whatever happens, no redis-server child outlives this process.

interface LiveEntry {
  pid(): number | undefined;
  dir: string | undefined;
}

const live = new Set<LiveEntry>();
let hooksInstalled = false;

/** @internal SIGKILL every live server process and remove its temp dir, synchronously (exit/signal hook). */
export function killAllSync(): void {
  for (const e of live) {
    const pid = e.pid();
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (e.dir) {
      try {
        rmSync(e.dir, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
  }
  live.clear();
}

function register(entry: LiveEntry): void {
  live.add(entry);
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllSync);
  // A termination signal skips 'exit' handlers (vitest stops its fork workers with SIGTERM), so clean up
  // there too; when nobody else handles the signal, re-raise it to keep the default behaviour (exit).
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAllSync();
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

// ---------------------------------------------------------------------------------------------
// Small utilities.

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A TCP port on 127.0.0.1 that was free a moment ago (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host: LOOPBACK, port: 0, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

/** Path of a `redis-server` (or `valkey-server`) binary: env `REDIS_SERVER_BIN`, then PATH; else undefined. */
export function findRedisServerBinary(): string | undefined {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  if (fromEnv) {
    try {
      accessSync(fromEnv, constants.X_OK);
    } catch {
      throw new Error(`REDIS_SERVER_BIN=${fromEnv} is not an executable file`);
    }
    return fromEnv;
  }
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['redis-server', 'valkey-server']) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // keep looking
      }
    }
  }
  return undefined;
}

/** Send one inline PING and return the first reply line (e.g. `+PONG`, `-LOADING ...`). */
function pingOnce(port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let buf = '';
    const done = (err: Error | undefined, line?: string) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(line ?? '');
    };
    const timer = setTimeout(() => done(new Error(`PING timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    socket.setEncoding('utf8');
    socket.once('error', (err) => done(err));
    socket.on('data', (chunk: string) => {
      buf += chunk;
      const eol = buf.indexOf('\r\n');
      if (eol >= 0) done(undefined, buf.slice(0, eol));
    });
    socket.once('close', () => done(new Error('connection closed before a reply')));
    socket.connect(port, LOOPBACK, () => socket.write('PING\r\n'));
  });
}

function tail(text: string, lines = 25): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

// ---------------------------------------------------------------------------------------------
// A redis-server child process.

interface ProcessOptions {
  appendonly: boolean;
  appendfsync: 'always' | 'everysec' | 'no';
  args: string[];
  startupTimeoutMs: number;
  /** Extra args computed once per start attempt on a fresh port (e.g. a cluster bus port), reused on restart. */
  dynamicArgs?: (dir: string) => Promise<string[]>;
}

class AddressInUseError extends Error {}

/** A redis-server child process on 127.0.0.1 with its own temp dir. */
export class LocalRedisServer implements RedisServer {
  /** Always `127.0.0.1`. */
  readonly host = LOOPBACK;
  private _port = 0;
  private child: ChildProcess | undefined;
  private running = false;
  private exitPromise: Promise<void> = Promise.resolve();
  private output = '';
  private stopping: Promise<void> | undefined;
  private readonly entry: LiveEntry;
  private dynamic: string[] = [];

  /** @internal use `startRedis()` */
  constructor(
    private readonly bin: string,
    /** Temp dir holding the log, AOF/RDB and cluster files. */
    readonly dir: string,
    private readonly opts: ProcessOptions,
  ) {
    this.entry = { pid: () => this.pid, dir };
    register(this.entry);
  }

  /** TCP port. */
  get port(): number {
    return this._port;
  }

  /** `redis://127.0.0.1:PORT`. */
  get url(): string {
    return `redis://${LOOPBACK}:${this._port}`;
  }

  /** OS process id while running. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** Path of the server log file. */
  get logFile(): string {
    return join(this.dir, 'redis.log');
  }

  /** The last lines of the server log (and of anything it printed before opening it). */
  logTail(lines = 25): string {
    let log = '';
    try {
      log = readFileSync(this.logFile, 'utf8');
    } catch {
      // no log yet
    }
    return tail(`${this.output}${log}`, lines) || '(empty log)';
  }

  /** @internal first start: picks a free port, retries when it was taken meanwhile. */
  async startOnFreePort(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this._port = await freePort();
      if (this.opts.dynamicArgs) this.dynamic = await this.opts.dynamicArgs(this.dir);
      try {
        await this.spawnAndWait();
        return;
      } catch (err) {
        if (err instanceof AddressInUseError && attempt < 5) continue;
        throw err;
      }
    }
  }

  private args(): string[] {
    const o = this.opts;
    return [
      '--port',
      String(this._port),
      '--bind',
      LOOPBACK,
      '--protected-mode',
      'no',
      '--daemonize',
      'no',
      '--save',
      '',
      '--appendonly',
      o.appendonly ? 'yes' : 'no',
      '--appendfsync',
      o.appendfsync,
      '--dir',
      this.dir,
      '--logfile',
      this.logFile,
      ...this.dynamic,
      ...o.args,
    ];
  }

  private async spawnAndWait(): Promise<void> {
    if (this.stopping) throw new Error('server was stopped');
    writeFileSync(this.logFile, '');
    this.output = '';
    const child = spawn(this.bin, this.args(), { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.running = true;
    let spawnError: Error | undefined;
    let exitInfo: string | undefined;
    this.exitPromise = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitInfo = signal ? `signal ${signal}` : `code ${code}`;
        if (this.child === child) this.running = false;
        resolve();
      });
      child.once('error', (err) => {
        spawnError = err;
        if (this.child === child) this.running = false;
        resolve();
      });
    });
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-8192);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    // Neither the child nor its pipes keep the parent alive; the exit hook kills leftovers.
    child.unref();
    (child.stdout as Socket | null)?.unref();
    (child.stderr as Socket | null)?.unref();

    const deadline = Date.now() + this.opts.startupTimeoutMs;
    let last = '';
    for (;;) {
      if (spawnError) throw new Error(`could not start ${this.bin}: ${spawnError.message}`);
      if (exitInfo !== undefined) {
        const log = this.logTail();
        if (/address already in use/i.test(log)) throw new AddressInUseError(`port ${this._port} in use`);
        throw new Error(
          `redis-server on port ${this._port} exited during startup (${exitInfo}). Log tail:\n${log}`,
        );
      }
      try {
        const line = await pingOnce(this._port, 1000);
        // A server with requirepass answers NOAUTH once it is ready to serve.
        if (line === '+PONG' || line.startsWith('-NOAUTH')) return;
        last = line;
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() > deadline) {
        const log = this.logTail();
        await this.kill();
        throw new Error(
          `redis-server on port ${this._port} did not answer PING within ${this.opts.startupTimeoutMs} ms ` +
            `(last: ${last}). Log tail:\n${log}`,
        );
      }
      await sleep(25);
    }
  }

  private requireRunning(what: string): number {
    const pid = this.pid;
    if (pid === undefined) throw new Error(`${what}(): redis-server on port ${this._port} is not running`);
    return pid;
  }

  /** Freeze the process with SIGSTOP. */
  async pause(): Promise<void> {
    process.kill(this.requireRunning('pause'), 'SIGSTOP');
  }

  /** Thaw the process with SIGCONT. */
  async resume(): Promise<void> {
    process.kill(this.requireRunning('resume'), 'SIGCONT');
  }

  /** SIGKILL and wait for the exit; no-op when not running. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.ref();
    try {
      process.kill(child.pid!, 'SIGKILL');
    } catch {
      // raced with an exit
    }
    await this.exitPromise;
    child.unref();
  }

  /** Crash (if running), wait `delayMs`, start again on the same port and dir, wait for PONG. */
  async restart(options: RestartOptions = {}): Promise<void> {
    if (this.stopping) throw new Error('restart(): server was stopped');
    await this.kill();
    if (options.delayMs && options.delayMs > 0) await sleep(options.delayMs);
    if (options.appendonly !== undefined) this.opts.appendonly = options.appendonly;
    try {
      await this.spawnAndWait();
    } catch (err) {
      if (err instanceof AddressInUseError) {
        throw new Error(
          `restart(): port ${this._port} was taken by another process. Log tail:\n${this.logTail()}`,
        );
      }
      throw err;
    }
  }

  /** `CLIENT PAUSE ms ALL`. */
  async clientPause(ms: number): Promise<void> {
    await withClient(this.url, (c) => c.call('CLIENT', 'PAUSE', String(ms), 'ALL'));
  }

  /** Kill and remove the temp dir; idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.kill();
      await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
      live.delete(this.entry);
    })();
    return this.stopping;
  }
}

/** @internal create (but do not start) a local server with a fresh temp dir. */
export function createLocalServer(
  bin: string,
  options: StartRedisOptions = {},
  dynamicArgs?: (dir: string) => Promise<string[]>,
): LocalRedisServer {
  const dir = mkdtempSync(join(tmpdir(), 'redis-locks-'));
  return new LocalRedisServer(bin, dir, {
    appendonly: options.appendonly ?? false,
    appendfsync: options.appendfsync ?? 'always',
    args: options.args ?? [],
    startupTimeoutMs: options.startupTimeoutMs ?? 15000,
    dynamicArgs,
  });
}

/** @internal start a local redis-server process (no fallback). */
export async function startLocalRedis(
  bin: string,
  options: StartRedisOptions = {},
  dynamicArgs?: (dir: string) => Promise<string[]>,
): Promise<LocalRedisServer> {
  const server = createLocalServer(bin, options, dynamicArgs);
  try {
    await server.startOnFreePort();
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/** Message used when no Redis can be provided at all. */
export function noRedisMessage(detail?: string): string {
  return (
    'No Redis available for tests. Do one of: install a redis-server binary ' +
    '(`apt-get install redis-server` on Debian/Ubuntu, `brew install redis` on macOS) or point REDIS_SERVER_BIN at one; ' +
    'set REDIS_URL=redis://127.0.0.1:6379 to use a running server; or start Docker so testcontainers can run redis.' +
    (detail ? ` (${detail})` : '')
  );
}

/**
 * Start a Redis server for a test: a local `redis-server` (env REDIS_SERVER_BIN or PATH) on a free
 * loopback port, else a testcontainers Redis when Docker is reachable, else a descriptive error.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const bin = findRedisServerBinary();
  if (bin) return startLocalRedis(bin, options);
  const { startContainerRedis } = await import('./container.js');
  return startContainerRedis(options);
}

/** @internal like `startRedis` but requires a local binary (topologies need real processes). */
export async function requireLocalBinary(what: string): Promise<string> {
  const bin = findRedisServerBinary();
  if (bin) return bin;
  throw new Error(noRedisMessage(`${what} needs a local redis-server binary; containers are not supported`));
}
