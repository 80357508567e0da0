import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** The two client kinds every warlock test runs against. */
export const clientKinds = ['ioredis', 'node-redis'] as const;
export type ClientKind = (typeof clientKinds)[number];

/** A connected client of `kind`, a raw-command runner on it, and a way to close it. */
export async function connect(kind: ClientKind, url: string) {
  if (kind === 'ioredis') {
    const client = new Redis(url, { lazyConnect: true });
    await client.connect();
    return {
      client,
      raw: (...args: (string | number)[]): Promise<unknown> => client.call(String(args[0]), ...args.slice(1)),
      close: async () => void (await client.quit()),
    };
  }
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return {
    client,
    raw: (...args: (string | number)[]): Promise<unknown> => client.sendCommand(args.map(String)),
    close: async () => void (await client.close()),
  };
}

export type Connection = Awaited<ReturnType<typeof connect>>;

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A callback that records its calls, and a promise of the first call's arguments. */
export function recorder<A extends unknown[]>(): { cb: (...args: A) => void; calls: A[]; first: Promise<A> } {
  const calls: A[] = [];
  let resolveFirst!: (args: A) => void;
  const first = new Promise<A>((resolve) => {
    resolveFirst = resolve;
  });
  const cb = (...args: A): void => {
    calls.push(args);
    resolveFirst(args);
  };
  return { cb, calls, first };
}

/**
 * Runs `run`, which makes a user callback throw, and collects what reaches `uncaughtException` within
 * `settleMs`. Vitest's own listener is set aside meanwhile, so the deliberate error does not fail the run.
 */
export async function collectUncaught(run: () => Promise<void>, settleMs = 100): Promise<unknown[]> {
  const saved = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  const caught: unknown[] = [];
  const listener = (error: unknown) => caught.push(error);
  process.on('uncaughtException', listener);
  try {
    await run();
    await delay(settleMs);
  } finally {
    process.off('uncaughtException', listener);
    for (const l of saved) process.on('uncaughtException', l);
  }
  return caught;
}
