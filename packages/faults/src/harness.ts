import {
  FencedResource,
  LostUpdateChecker,
  listKeys,
  OverlapChecker,
  type RedisServer,
  type SerializedHoldRecord,
  type StartRedisOptions,
  startRedis,
  uniqueKey,
  withClient,
} from '@redis-locks/testing';
import type { Worker } from './pool.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const rand = (min: number, max: number) => min + Math.random() * (max - min);
export const hr = (): bigint => process.hrtime.bigint();

/** A resource that accepts every write: what an unfenced storage does (negative controls). */
export class UnfencedResource extends FencedResource {
  protected override accepts(): boolean {
    return true;
  }
}

/** `n` servers of our own (never the shared one), so faults disturb nobody else. */
export async function startServers(n: number, options: StartRedisOptions = {}): Promise<RedisServer[]> {
  const servers: RedisServer[] = [];
  try {
    for (let i = 0; i < n; i++) servers.push(await startRedis(options));
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
  return servers;
}

export function freshNamespace(tag: string): string {
  return uniqueKey(`faults-${tag}`).replace(/[{}]/g, '');
}

/** What one stress request answered. */
export interface StressReply {
  holds: SerializedHoldRecord[];
  updates: Array<{ key: string; id: string; owner: string; readLength: number }>;
  acquiredAt: string[];
  errors: Record<string, number>;
  maxCallMs: number;
  ops: number;
  fencedWrites: number;
  staleSkipped: number;
  heapUsed: number;
}

/** The checkers' verdict over the replies of several stress workers. */
export interface StressVerdict {
  ops: number;
  overlaps: number;
  lostUpdates: number;
  staleAccepted: number;
  fencedRejected: number;
  /** Failed calls by code: LockError codes, `untyped:…` (a library call rejected with a non-LockError), `io:…` (the harness' own I/O). */
  errors: Record<string, number>;
  untypedErrors: number;
  maxCallMs: number;
  acquiredAt: bigint[];
  firstOverlap?: string;
}

/** Fenced writes of every worker go to one shared `FencedResource`. */
export function shareFence(workers: readonly Worker[]): {
  fenced: FencedResource;
  unfenced: UnfencedResource;
} {
  const fenced = new FencedResource();
  const unfenced = new UnfencedResource();
  for (const w of workers) {
    w.onFence = (key, token, owner, isFenced) =>
      isFenced ? fenced.write(key, token, owner) : unfenced.write(key, token, owner);
  }
  return { fenced, unfenced };
}

/** Runs the stress loop on every worker at once and checks the merged histories. */
export async function stress(
  workers: readonly Worker[],
  url: string,
  args: { resources: string[]; durationMs: number; holdMaxMs: number; ttl: number; waitTimeout: number },
  fence: FencedResource,
): Promise<StressVerdict & { replies: StressReply[] }> {
  const replies = await Promise.all(
    workers.map((w) => w.request<StressReply>('stress', args, args.durationMs + args.waitTimeout + 60_000)),
  );
  return { ...(await judge(replies, url, fence)), replies };
}

/** Overlaps, lost updates (reading the final lists from Redis) and stale writes of merged stress replies. */
export async function judge(
  replies: StressReply[],
  url: string,
  fence: FencedResource,
): Promise<StressVerdict> {
  const overlap = new OverlapChecker();
  const lost = new LostUpdateChecker();
  const errors: Record<string, number> = {};
  const acquiredAt: bigint[] = [];
  let ops = 0;
  let maxCallMs = 0;
  for (const r of replies) {
    overlap.merge({ records: r.holds });
    lost.merge(r);
    ops += r.ops;
    maxCallMs = Math.max(maxCallMs, r.maxCallMs);
    for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
    for (const t of r.acquiredAt) acquiredAt.push(BigInt(t));
  }
  const finals: Record<string, string[] | null> = {};
  await withClient(url, async (redis) => {
    for (const key of lost.keys()) {
      const raw = await redis.get(key);
      finals[key] = raw === null ? null : (JSON.parse(raw) as string[]);
      await redis.del(key);
    }
  });
  const overlaps = overlap.overlaps();
  const first = overlaps[0];
  return {
    ops,
    overlaps: overlaps.length,
    lostUpdates: lost.lostUpdates(finals),
    staleAccepted: fence.staleAcceptedCount(),
    fencedRejected: fence.rejected,
    errors,
    untypedErrors: Object.entries(errors)
      .filter(([k]) => k.startsWith('untyped:'))
      .reduce((n, [, v]) => n + v, 0),
    maxCallMs,
    acquiredAt: acquiredAt.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    ...(first ? { firstOverlap: `${first.resource}: ${first.a.owner} / ${first.b.owner}` } : {}),
  };
}

/** Lock keys (not fencing counters, which are kept on purpose) left under `namespace` on any server. */
export async function leftoverLocks(urls: readonly string[], namespace: string): Promise<string[]> {
  const left: string[] = [];
  for (const url of urls) {
    for (const key of await listKeys(url, `${namespace}*`)) {
      if (!key.endsWith(':fence') && !key.includes(':fence:')) left.push(key);
    }
  }
  return left;
}
