import Table from 'cli-table3';
import pc from 'picocolors';
import type { CliContext } from '../cli-context.js';
import { EXIT_CODES } from '../exit-codes.js';
import { type HeldLock, inspectLocks } from '../locks/inspect-locks.js';
import { connectRedis } from '../redis-connection.js';
import { redactUrl } from '../redis-url.js';
import { selectStrategies } from '../strategies/registry.js';

/** Parsed options of `redis-locks inspect`. */
export interface InspectCommandOptions {
  url: string;
  namespace?: string;
  strategies?: string[];
  json?: boolean;
}

function ttlText(ttlMs: number): string {
  if (ttlMs < 0) return 'no expiry';
  return ttlMs >= 10_000 ? `${(ttlMs / 1000).toFixed(0)} s` : `${(ttlMs / 1000).toFixed(2)} s`;
}

/** The human-readable list of held locks. */
export function renderHeldLocks(locks: readonly HeldLock[]): string {
  if (locks.length === 0) return `${pc.dim('no locks held')}\n`;
  const table = new Table({
    head: ['resource', 'strategy', 'ttl', 'fencing token', 'owner', 'waiters'].map((h) => pc.bold(h)),
    colAligns: ['left', 'left', 'right', 'right', 'left', 'right'],
    style: { head: [], border: [] },
  });
  for (const lock of locks) {
    table.push([
      lock.resource,
      lock.strategy,
      ttlText(lock.ttlMs),
      lock.fencingToken === null ? '–' : String(lock.fencingToken),
      lock.ownerPreview ?? '–',
      lock.waiters === null ? '–' : String(lock.waiters),
    ]);
  }
  return `${table.toString()}\n${pc.dim(`${locks.length} lock${locks.length === 1 ? '' : 's'} held`)}\n`;
}

/** Runs `inspect`: the held locks as a table or JSON; exit code 0 even when none is held. */
export async function inspectAction(
  pattern: string,
  options: InspectCommandOptions,
  context: CliContext,
): Promise<void> {
  const strategies = selectStrategies(options.strategies);
  const client = await connectRedis(options.url);
  try {
    const locks = await inspectLocks({
      client,
      strategies,
      pattern,
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
    context.stdout.write(
      options.json
        ? `${JSON.stringify({ schemaVersion: 1, redis: redactUrl(options.url), locks }, null, 2)}\n`
        : renderHeldLocks(locks),
    );
    context.setExitCode(EXIT_CODES.ok);
  } finally {
    client.disconnect();
  }
}
