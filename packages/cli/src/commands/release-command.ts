import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { redisUrlList } from '../option-parsers.js';
import { strategyNames } from '../strategies/registry.js';
import type { ReleaseCommandOptions } from './release-action.js';

const EXAMPLES = `
Examples:
  $ redis-locks release --force orders:42                 # shows the lock, asks before releasing
  $ redis-locks release --force orders:42 --yes --strategy optimistic --url redis://cache:6379
  $ echo y | redis-locks release --force orders:42        # the answer may come from a pipe
  $ redis-locks release --force orders:42 --strategy redlock --url redis://a:6379,redis://b:6379,redis://c:6379

Only the lock shown is released (compare-and-delete on its owner token): if it changed hands meanwhile,
nothing is deleted. For redlock the compare-and-delete runs on every node. Exit codes: 0 released, 1 not held / changed hands / declined, 2 usage error,
3 Redis unreachable.`;

/** Adds `release --force`: deletes a held lock after confirmation, for stuck holders. */
export function registerReleaseCommand(program: Command, context: CliContext): void {
  program
    .command('release')
    .description('Force-release a held lock (a crashed or stuck holder); asks for confirmation unless --yes.')
    .argument('<resource>', 'the locked resource')
    .option('--force', 'required: the holder may still be running and will no longer be protected')
    .option('-y, --yes', 'do not ask for confirmation')
    .option(
      '--url <url>',
      'Redis; repeat it or separate URLs with commas for redlock nodes (3 or more; the other strategies ' +
        'use the first). Default: $REDIS_URL (commas allowed) or redis://127.0.0.1:6379',
      redisUrlList,
    )
    .option('--strategy <name>', `strategy holding the lock (default: search ${strategyNames().join(', ')})`)
    .option('--namespace <prefix>', "key prefix instead of the strategy's default one")
    .option('--json', 'print the outcome as JSON on stdout')
    .addHelpText('after', EXAMPLES)
    .action(async (resource: string, options: ReleaseCommandOptions) => {
      const { releaseAction } = await import('./release-action.js');
      await releaseAction(resource, options, context);
    });
}
