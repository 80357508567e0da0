/**
 * A fault-campaign worker: a real process (forked by `pool.ts`) holding its own ioredis connections and
 * strategy instances, so the parent can SIGSTOP it while it holds a lock. It answers requests
 * `{ id, op, ...args }` with `{ id, ok, result | error }`, may emit `{ id, event }` mid-request, and asks
 * the parent for fenced writes with `{ rpc: 'fence', rid, key, token, owner }` (the parent hosts the
 * shared `FencedResource`, like a storage service every holder writes to).
 */
import { isLockError, type Lock, type LockStrategy } from '@redis-locks/core';
import { Redis, type RedisOptions } from 'ioredis';
import { strategyByName } from './registry.js';

const hr = (): bigint => process.hrtime.bigint();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rand = (min: number, max: number) => min + Math.random() * (max - min);

interface Instance {
  strategy: LockStrategy;
  clients: Redis[];
}

let instances: Instance[] = [];
let raw: Redis | undefined; // for the shared lists of the lost-update checker
let namespace = 'faults';
let workerName = 'w';
const held = new Map<string, { lock: Lock; heldAt: bigint; expiresHr: bigint }>();

let nextRid = 1;
const rpcs = new Map<number, (accepted: boolean) => void>();

function send(message: unknown): void {
  process.send?.(message);
}

function fence(key: string, token: number, owner: string, fenced: boolean): Promise<boolean> {
  const rid = nextRid++;
  return new Promise((resolve) => {
    rpcs.set(rid, resolve);
    send({ rpc: 'fence', rid, key, token, owner, fenced });
  });
}

/** A hold ends when the holder stops, or when its lease ran out if that came first (never before it began). */
function clampEnd(now: bigint, expiresHr: bigint, start: bigint): bigint {
  if (now < expiresHr) return now;
  return expiresHr > start ? expiresHr : start;
}

/** hrtime of a Date.now()-based instant, relative to now. */
function hrOf(dateMs: number): bigint {
  return hr() + BigInt(Math.round((dateMs - Date.now()) * 1e6));
}

function errorCode(error: unknown): string {
  if (isLockError(error)) return (error as { code: string }).code;
  return `untyped:${(error as Error)?.name ?? typeof error}:${String((error as Error)?.message ?? error).slice(0, 80)}`;
}

function connect(url: string, commandTimeout: number | undefined, extra: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    ...extra,
    ...(commandTimeout ? { commandTimeout } : {}),
    maxRetriesPerRequest: commandTimeout ? 1 : 20,
    retryStrategy: () => 50,
    lazyConnect: false,
  });
  client.on('error', () => undefined);
  return client;
}

const ops: Record<string, (args: any, id: number) => Promise<unknown>> = {
  async init(args: {
    strategy: string;
    urls: string[];
    namespace: string;
    name: string;
    instances?: number;
    commandTimeout?: number;
  }) {
    namespace = args.namespace;
    workerName = args.name;
    const entry = strategyByName(args.strategy);
    // The harness' own list writes must never land late (an unfenced write after the lease is the
    // application's hazard, not the lock's): no resend of in-flight commands after a reconnect, no offline queue.
    raw = connect(args.urls[0]!, args.commandTimeout, {
      autoResendUnfulfilledCommands: false,
      enableOfflineQueue: false,
    });
    if (raw.status !== 'ready') await new Promise((resolve) => raw!.once('ready', resolve));
    for (let i = 0; i < (args.instances ?? 1); i++) {
      const clients = args.urls.map((url) => connect(url, args.commandTimeout));
      await Promise.all(clients.map((c) => c.ping()));
      instances.push({ strategy: await entry.create(clients, namespace), clients });
    }
    return { pid: process.pid };
  },

  /** Scenario 1/5/8 load: acquire → read-modify-write a shared list → fenced write → hold → release. */
  async stress(args: {
    resources: string[];
    durationMs: number;
    holdMaxMs: number;
    ttl: number;
    waitTimeout: number;
  }) {
    const end = hr() + BigInt(args.durationMs) * 1_000_000n;
    const holds: Array<{ resource: string; owner: string; start: string; end: string }> = [];
    const updates: Array<{ key: string; id: string; owner: string; readLength: number }> = [];
    const acquiredAt: string[] = [];
    const errors: Record<string, number> = {};
    let maxCallMs = 0;
    let ops = 0;
    let fencedWrites = 0;
    let staleSkipped = 0;
    const count = (e: unknown) => {
      const code = errorCode(e);
      errors[code] = (errors[code] ?? 0) + 1;
    };
    const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await fn();
      } finally {
        maxCallMs = Math.max(maxCallMs, performance.now() - t0);
      }
    };
    await Promise.all(
      instances.map(async ({ strategy }, c) => {
        for (let n = 0; hr() < end; n++) {
          const resource = args.resources[Math.floor(Math.random() * args.resources.length)]!;
          const owner = `${workerName}.${c}.${n}`;
          let lock: Lock;
          try {
            lock = await timed(() =>
              strategy.acquire(resource, { ttl: args.ttl, waitTimeout: args.waitTimeout }),
            );
          } catch (error) {
            count(error);
            if (!isLockError(error, 'LOCK_TIMEOUT')) await sleep(20);
            continue;
          }
          const start = hr();
          const expiresHr = hrOf(lock.expiresAt);
          const valid = () => Date.now() < lock.expiresAt - 5;
          ops++;
          acquiredAt.push(start.toString());
          try {
            const listKey = `${namespace}:list:${resource}`;
            if (valid()) {
              const list = JSON.parse((await raw!.get(listKey)) ?? '[]') as string[];
              if (valid()) {
                await raw!.set(listKey, JSON.stringify([...list, owner]));
                updates.push({ key: listKey, id: owner, owner, readLength: list.length });
              } else staleSkipped++;
            } else staleSkipped++;
            if (lock.fencingToken !== undefined && valid()) {
              await fence(resource, lock.fencingToken, owner, true);
              fencedWrites++;
            }
            if (args.holdMaxMs > 0) await sleep(rand(0, args.holdMaxMs));
          } catch (error) {
            // The harness' own list/fence I/O (raw ioredis, not the library): counted apart from lock errors.
            errors[`io:${(error as Error)?.message?.slice(0, 60)}`] =
              (errors[`io:${(error as Error)?.message?.slice(0, 60)}`] ?? 0) + 1;
          } finally {
            const now = hr();
            holds.push({
              resource,
              owner,
              start: start.toString(),
              end: clampEnd(now, expiresHr, start).toString(),
            });
            try {
              await timed(() => lock.release());
            } catch (error) {
              count(error);
            }
          }
        }
      }),
    );
    return {
      holds,
      updates,
      acquiredAt,
      errors,
      maxCallMs,
      ops,
      fencedWrites,
      staleSkipped,
      heapUsed: process.memoryUsage().heapUsed,
    };
  },

  /** Acquire and keep a lock (scenarios 2 and 6). */
  async acquire(args: { resource: string; ttl: number; waitTimeout: number }) {
    const lock = await instances[0]!.strategy.acquire(args.resource, {
      ttl: args.ttl,
      waitTimeout: args.waitTimeout,
    });
    const heldAt = hr();
    const expiresHr = hrOf(lock.expiresAt);
    held.set(args.resource, { lock, heldAt, expiresHr });
    return { token: lock.token, fencingToken: lock.fencingToken, heldAt, expiresHr };
  },

  /** A write to the shared fenced resource with the held lock's fencing token (or unfenced). */
  async write(args: { resource: string; fenced: boolean }) {
    const h = held.get(args.resource);
    if (!h) throw new Error(`no lock held on ${args.resource}`);
    const at = hr();
    const accepted = await fence(args.resource, h.lock.fencingToken ?? 0, `${workerName}`, args.fenced);
    return { accepted, at };
  },

  async release(args: { resource: string }) {
    const h = held.get(args.resource);
    if (!h) throw new Error(`no lock held on ${args.resource}`);
    held.delete(args.resource);
    const at = hr();
    return { result: await h.lock.release(), at };
  },

  /** Forget a held lock without releasing it (a holder that crashed or whose lease ran out). */
  async forget(args: { resource: string }) {
    held.delete(args.resource);
    return null;
  },

  async tryAcquire(args: { resource: string; ttl: number }) {
    try {
      const lock = await instances[0]!.strategy.tryAcquire(args.resource, { ttl: args.ttl });
      if (lock) held.set(args.resource, { lock, heldAt: hr(), expiresHr: hrOf(lock.expiresAt) });
      return { outcome: lock ? 'acquired' : 'null', token: lock?.token };
    } catch (error) {
      return { outcome: 'error', code: errorCode(error) };
    }
  },

  /**
   * Scenario 3: `using` with autoExtend, then block the event loop with Atomics.wait. Emits `acquired`
   * before blocking; records when every extension was sent (successful ones only) and when the signal aborted.
   */
  async block(args: { resource: string; ttl: number; blockMs: number }, id: number) {
    const strategy = instances[0]!.strategy as LockStrategy & { extend: LockStrategy['extend'] };
    const original = strategy.extend.bind(strategy);
    const extendedAt: bigint[] = [];
    strategy.extend = async (lock, ttl) => {
      const sent = hr();
      const result = await original(lock, ttl);
      extendedAt.push(sent);
      return result;
    };
    let heldAt = 0n;
    let unblockAt = 0n;
    let abortAt: bigint | undefined;
    let reason = '';
    let token = '';
    let releaseResult = '';
    try {
      await strategy.using(
        args.resource,
        { ttl: args.ttl, autoExtend: true, waitTimeout: args.ttl * 4 },
        async (signal, lock) => {
          heldAt = hr();
          token = lock.token;
          send({ id, event: 'acquired' });
          await sleep(30); // let the event reach the parent before the loop freezes
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, args.blockMs);
          unblockAt = hr();
          if (!signal.aborted) {
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, args.ttl); // a correct lock aborts within ttl/3
              signal.addEventListener(
                'abort',
                () => {
                  clearTimeout(t);
                  resolve();
                },
                { once: true },
              );
            });
          }
          if (signal.aborted) {
            abortAt = hr();
            reason = errorCode(signal.reason);
          }
          releaseResult = await lock.release();
        },
      );
    } finally {
      strategy.extend = original;
    }
    return { heldAt, unblockAt, abortAt, reason, extendedAt, token, releaseResult };
  },

  /**
   * Scenario 4: rounds of "A releases right around its expiry while B grabs the lock the moment it
   * expires". Instance 0 is A, instance 1 is B. A violation: B's lock was deleted under it.
   */
  async race(args: { rounds: number; concurrency: number; ttl: number; spreadMs: number; prefix: string }) {
    const A = instances[0]!.strategy;
    const B = instances[1]!.strategy;
    let next = 0;
    const tally = {
      rounds: 0,
      aReleased: 0,
      aExpired: 0,
      aNotOwner: 0,
      bMissed: 0,
      bLeaseRanOut: 0,
      violations: 0,
      errors: 0,
      examples: [] as string[],
    };
    await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        while (next < args.rounds) {
          const i = next++;
          const resource = `${args.prefix}:${i}`;
          try {
            const a = await A.acquire(resource, { ttl: args.ttl, waitTimeout: 1000 });
            const releaseAt = a.expiresAt + rand(-args.spreadMs, args.spreadMs);
            const bFrom = a.expiresAt - args.spreadMs - 2;
            const bUntil = a.expiresAt + 150;
            const aDone = (async () => {
              await sleep(Math.max(0, releaseAt - Date.now()));
              return a.release();
            })();
            const bDone = (async () => {
              await sleep(Math.max(0, bFrom - Date.now()));
              while (Date.now() < bUntil) {
                const b = await B.tryAcquire(resource, { ttl: args.ttl });
                if (b) return b;
                await sleep(1);
              }
              return null;
            })();
            const [ra, b] = await Promise.all([aDone, bDone]);
            tally.rounds++;
            if (ra === 'released') tally.aReleased++;
            else if (ra === 'expired') tally.aExpired++;
            else tally.aNotOwner++;
            if (!b) {
              tally.bMissed++;
              continue;
            }
            // B releases right after A's release returned; if that took past B's own lease (a loaded
            // machine), 'expired' is the honest answer and not a deleted key.
            const bValid = Date.now() < b.expiresAt - 2;
            const bHeldMs = Date.now() - (b.expiresAt - args.ttl);
            const rb = await b.release();
            if (rb !== 'released' && !bValid) {
              tally.bLeaseRanOut++;
            } else if (rb !== 'released') {
              tally.violations++;
              if (tally.examples.length < 3)
                tally.examples.push(
                  `${resource}: A ${ra}, then B's release said ${rb} ${bHeldMs} ms into its lease`,
                );
            }
          } catch (error) {
            tally.errors++;
            if (tally.examples.length < 3) tally.examples.push(`${resource}: ${errorCode(error)}`);
          }
        }
      }),
    );
    return tally;
  },

  async stats() {
    return { heapUsed: process.memoryUsage().heapUsed, held: held.size };
  },

  async close() {
    for (const { strategy, clients } of instances) {
      await strategy.close().catch(() => undefined);
      for (const c of clients) c.disconnect();
    }
    raw?.disconnect();
    instances = [];
    return null;
  },
};

process.on('message', (message: any) => {
  if (message && typeof message.rid === 'number' && 'accepted' in message) {
    rpcs.get(message.rid)?.(message.accepted);
    rpcs.delete(message.rid);
    return;
  }
  const { id, op, ...args } = message as { id: number; op: string };
  const fn = ops[op];
  if (!fn) {
    send({ id, ok: false, error: `unknown op ${op}` });
    return;
  }
  fn(args, id).then(
    (result) => send({ id, ok: true, result }),
    (error: unknown) => send({ id, ok: false, error: `${errorCode(error)}: ${(error as Error)?.message}` }),
  );
});
process.on('disconnect', () => process.exit(0));
