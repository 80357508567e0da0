import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { DEFAULT_COMPARE_SETTINGS } from '../compare/compare-options.js';
import { integerIn, nameList, outputFile, redisUrlList } from '../option-parsers.js';
import { strategyNames } from '../strategies/registry.js';
import type { CompareCommandOptions } from './compare-action.js';

const EXAMPLES = `
Examples:
  $ redis-locks compare                                  # private redis-servers, every strategy, ~5 s each
  $ redis-locks compare --url redis://127.0.0.1:6379 --strategies optimistic,keyed,semaphore
                                                         # use a running server (its keys are cleaned up)
  $ redis-locks compare --url redis://a:6379 --url redis://b:6379 --url redis://c:6379
                                                         # redlock on 3 nodes, the others on the first
  $ redis-locks compare --strategies optimistic --duration 10000 --processes 8
  $ redis-locks compare --json > compare.json            # machine-readable results
  $ redis-locks compare --html compare.html              # also write a chart report (open it in a browser)
  $ redis-locks compare --strategies unsafe-get-set      # a deliberately broken lock: overlaps, exit 1

Exit codes: 0 no overlap, 1 overlapping holds found, 2 usage error, 3 could not run, 130 interrupted.`;

/** Adds `compare`: every strategy through one contention scenario in worker processes, with the overlap checker. */
export function registerCompareCommand(program: Command, context: CliContext): void {
  const d = DEFAULT_COMPARE_SETTINGS;
  program
    .command('compare')
    .description(
      'Run each strategy through the same contention scenario in several worker processes, check every hold ' +
        'for overlaps, and print throughput, hand-off latency and fairness side by side.',
    )
    .option(
      '--url <url>',
      'Redis to use; repeat it or separate URLs with commas to give independent nodes: single-node ' +
        'strategies use the first, redlock all of them (3 or more). Default: start private redis-servers ' +
        '(3 when redlock runs) and stop them afterwards',
      redisUrlList,
    )
    .option(
      '--strategies <names>',
      `comma-separated strategies to run (default: ${strategyNames().join(',')})`,
      nameList,
    )
    .option('--duration <ms>', 'contention phase per strategy, in ms', integerIn(100, 600_000), d.durationMs)
    .option('--processes <n>', 'worker processes', integerIn(2, 64), d.processes)
    .option('--concurrency <n>', 'concurrent acquire loops per process', integerIn(1, 256), d.concurrency)
    .option('--resources <n>', 'hot resources the loops compete for', integerIn(1, 10_000), d.resources)
    .option('--hold <ms>', 'each hold lasts a random 0..ms', integerIn(0, 10_000), d.holdMaxMs)
    .option('--handoffs <n>', 'hand-off rounds between two processes', integerIn(1, 10_000), d.handoffRounds)
    .option(
      '--html <file>',
      'also write a self-contained HTML report (the table, acquisitions/s and hand-off latency charts) to ' +
        'file; its path is printed on stderr and, with --json, given as htmlReport',
      outputFile,
    )
    .option('--json', 'print the results as JSON on stdout')
    .option('-q, --quiet', 'no progress output on stderr')
    .addHelpText('after', EXAMPLES)
    .action(async (options: CompareCommandOptions) => {
      // Loaded on demand, so --help and usage errors stay fast.
      const { compareAction } = await import('./compare-action.js');
      await compareAction(options, context);
    });
}
