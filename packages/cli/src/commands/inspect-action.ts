import Table from 'cli-table3';
import pc from 'picocolors';
import type { CliContext } from '../cli-context.js';
import { EXIT_CODES } from '../exit-codes.js';
import { type HeldLock, inspectLocks } from '../locks/inspect-locks.js';
import { connectAll } from '../redis-connection.js';
import { redactUrl } from '../redis-url.js';
import { selectStrategies } from '../strategies/registry.js';
import { selectForNodes } from './node-selection.js';

/** Parsed options of `redis-locks inspect`. */
export interface InspectCommandOptions {
  url?: string[];
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
  // The nodes column only when a quorum strategy's lock is listed.
  const withNodes = locks.some((lock) => lock.nodes !== null);
  const head = ['resource', 'strategy', 'ttl', 'fencing token', 'owner', 'waiters'];
  const aligns: ('left' | 'right')[] = ['left', 'left', 'right', 'right', 'left', 'right'];
  const table = new Table({
    head: (withNodes ? [...head, 'nodes'] : head).map((h) => pc.bold(h)),
    colAligns: withNodes ? [...aligns, 'right'] : aligns,
    style: { head: [], border: [] },
  });
  for (const lock of locks) {
    const row = [
      lock.resource,
      lock.strategy,
      ttlText(lock.ttlMs),
      lock.fencingToken === null ? '–' : String(lock.fencingToken),
      lock.ownerPreview ?? '–',
      lock.waiters === null ? '–' : String(lock.waiters),
    ];
    if (withNodes) row.push(lock.nodes === null ? '–' : `${lock.nodes.held}/${lock.nodes.total}`);
    table.push(row);
  }
  return `${table.toString()}\n${pc.dim(`${locks.length} lock${locks.length === 1 ? '' : 's'} held`)}\n`;
}

/** Runs `inspect`: the held locks as a table or JSON; exit code 0 even when none is held. */
export async function inspectAction(
  pattern: string,
  options: InspectCommandOptions,
  context: CliContext,
): Promise<void> {
  const { strategies, urls, notes } = selectForNodes(
    selectStrategies(options.strategies),
    options.strategies !== undefined && options.strategies.length > 0,
    options.url,
  );
  for (const note of notes) context.stderr.write(`${pc.dim(`note: ${note}`)}\n`);
  const clients = await connectAll(urls);
  try {
    const locks = await inspectLocks({
      clients,
      strategies,
      pattern,
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
    context.stdout.write(
      options.json
        ? `${JSON.stringify(
            { schemaVersion: 1, redis: redactUrl(urls[0]!), nodes: urls.map(redactUrl), locks },
            null,
            2,
          )}\n`
        : renderHeldLocks(locks),
    );
    context.setExitCode(EXIT_CODES.ok);
  } finally {
    for (const client of clients) client.disconnect();
  }
}
