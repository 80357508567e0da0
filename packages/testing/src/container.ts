import { withClient } from './client.js';
import { noRedisMessage, type RedisServer, type StartRedisOptions, UnsupportedFaultError } from './server.js';

/** A Redis running in a testcontainers container; process-level faults are not supported. */
class ContainerRedisServer implements RedisServer {
  readonly pid = undefined;
  readonly url: string;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly container: { stop(): Promise<unknown> },
  ) {
    this.url = `redis://${host}:${port}`;
  }

  async pause(): Promise<void> {
    throw new UnsupportedFaultError('pause');
  }
  async resume(): Promise<void> {
    throw new UnsupportedFaultError('resume');
  }
  async kill(): Promise<void> {
    throw new UnsupportedFaultError('kill');
  }
  async restart(): Promise<void> {
    throw new UnsupportedFaultError('restart');
  }
  async clientPause(ms: number): Promise<void> {
    await withClient(this.url, (c) => c.call('CLIENT', 'PAUSE', String(ms), 'ALL'));
  }
  stop(): Promise<void> {
    this.stopping ??= this.container.stop().then(() => undefined);
    return this.stopping;
  }
}

/** @internal start Redis with testcontainers when a Docker engine is reachable. */
export async function startContainerRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  let tc: typeof import('testcontainers');
  let redisModule: typeof import('@testcontainers/redis');
  try {
    tc = await import('testcontainers');
    redisModule = await import('@testcontainers/redis');
  } catch (err) {
    throw new Error(noRedisMessage(`testcontainers could not be loaded: ${(err as Error).message}`));
  }
  try {
    await tc.getContainerRuntimeClient();
  } catch (err) {
    throw new Error(
      noRedisMessage(`no redis-server on PATH and no Docker engine: ${(err as Error).message}`),
    );
  }
  const image = 'redis:7';
  const command = ['redis-server', '--save', '', '--appendonly', options.appendonly ? 'yes' : 'no'];
  if (options.appendonly) command.push('--appendfsync', options.appendfsync ?? 'always');
  command.push(...(options.args ?? []));
  const started = await new redisModule.RedisContainer(image).withCommand(command).start();
  return new ContainerRedisServer(started.getHost(), started.getPort(), started);
}
