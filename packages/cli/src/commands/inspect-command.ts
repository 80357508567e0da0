import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { nameList, redisUrlList } from '../option-parsers.js';
import { strategyNames } from '../strategies/registry.js';
import type { InspectCommandOptions } from './inspect-action.js';

const EXAMPLES = `
Examples:
  $ redis-locks inspect                                   # every held lock on $REDIS_URL or 127.0.0.1:6379
  $ redis-locks inspect 'orders:*' --url redis://cache:6379
  $ redis-locks inspect --strategies optimistic --namespace myapp:locks --json
  $ redis-locks inspect --url redis://a:6379,redis://b:6379,redis://c:6379   # redlock too, per node

With a single --url, redlock (which needs 3 nodes) is skipped with a note unless named in --strategies.

Owner tokens are shown as a short prefix only. Exit codes: 0 listed (even when none is held), 2 usage error,
3 Redis unreachable.`;

/** Adds `inspect`: the locks currently held, per strategy namespace. */
export function registerInspectCommand(program: Command, context: CliContext): void {
  program
    .command('inspect')
    .description(
      'List held locks: resource, strategy, remaining ttl, fencing token, owner (prefix only), waiters.',
    )
    .argument('[pattern]', 'Redis glob over resource names', '*')
    .option(
      '--url <url>',
      'Redis to inspect; repeat it or separate URLs with commas for redlock nodes (3 or more; the other ' +
        'strategies use the first). Default: $REDIS_URL (commas allowed) or redis://127.0.0.1:6379',
      redisUrlList,
    )
    .option('--namespace <prefix>', "key prefix to scan instead of each strategy's default one")
    .option(
      '--strategies <names>',
      `comma-separated strategies (default: ${strategyNames().join(',')})`,
      nameList,
    )
    .option('--json', 'print the locks as JSON on stdout')
    .addHelpText('after', EXAMPLES)
    .action(async (pattern: string, options: InspectCommandOptions) => {
      const { inspectAction } = await import('./inspect-action.js');
      await inspectAction(pattern, options, context);
    });
}
