import pc from 'picocolors';
import type { CliContext } from '../cli-context.js';
import { confirm } from '../confirm.js';
import { EXIT_CODES } from '../exit-codes.js';
import { findForceReleaseTarget, forceRelease } from '../locks/force-release.js';
import { connectAll } from '../redis-connection.js';
import { defaultStrategies, findStrategy } from '../strategies/registry.js';
import { UsageError } from '../usage-error.js';
import { selectForNodes } from './node-selection.js';

/** Parsed options of `redis-locks release`. */
export interface ReleaseCommandOptions {
  force?: boolean;
  yes?: boolean;
  url?: string[];
  namespace?: string;
  strategy?: string;
  json?: boolean;
}

/**
 * Runs `release --force`: finds the lock, shows it and asks (unless `--yes`), then releases exactly that lock;
 * exit code 0 released, 1 not held / changed hands / declined.
 */
export async function releaseAction(
  resource: string,
  options: ReleaseCommandOptions,
  context: CliContext,
): Promise<void> {
  if (!options.force) {
    throw new UsageError(
      'release needs --force: the current holder keeps running without protection once its lock is gone',
    );
  }
  if (resource.length === 0) throw new UsageError('resource must not be empty');
  const { strategies, urls, notes } = selectForNodes(
    options.strategy ? [findStrategy(options.strategy)] : defaultStrategies(),
    options.strategy !== undefined,
    options.url,
  );
  for (const note of notes) context.stderr.write(`${pc.dim(`note: ${note}`)}\n`);
  const clients = await connectAll(urls);
  try {
    const target = await findForceReleaseTarget({
      clients,
      strategies,
      resource,
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
    const report = (outcome: string, message: string, code: 0 | 1) => {
      context.stdout.write(
        options.json
          ? `${JSON.stringify({
              schemaVersion: 1,
              resource,
              strategy: target ? target.candidates.join('|') : null,
              key: target?.key ?? null,
              outcome,
            })}\n`
          : `${message}\n`,
      );
      context.setExitCode(code);
    };
    if (!target) {
      report('not-held', `"${resource}" is not held: nothing to release.`, EXIT_CODES.failed);
      return;
    }
    const description =
      `"${resource}" is held (${target.candidates.join('|')}, key ${target.key}, ttl ${target.ttlMs} ms` +
      `${target.fencingToken === null ? '' : `, fencing token ${target.fencingToken}`}, owner ${target.ownerPreview}` +
      `${target.nodes === null ? '' : `, on ${target.nodes.held} of ${target.nodes.total} nodes`})`;
    if (!options.yes) {
      context.stderr.write(`${description}.\n`);
      const confirmed = await confirm(
        'Release it? Its holder will keep running without the lock.',
        context.stdin,
        context.stderr,
        context.signal,
      );
      if (!confirmed) {
        report('declined', 'Not released.', EXIT_CODES.failed);
        return;
      }
    }
    const outcome = await forceRelease(target);
    if (outcome === 'released') report(outcome, pc.green(`Released "${resource}".`), EXIT_CODES.ok);
    else if (outcome === 'changed') {
      report(outcome, `"${resource}" changed hands meanwhile: nothing released.`, EXIT_CODES.failed);
    } else report(outcome, `"${resource}" was released or expired meanwhile.`, EXIT_CODES.failed);
  } finally {
    for (const client of clients) client.disconnect();
  }
}
