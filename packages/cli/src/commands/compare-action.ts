import type { CliContext } from '../cli-context.js';
import { renderCompareReport } from '../compare/render-compare.js';
import { runCompare } from '../compare/run-compare.js';
import { EXIT_CODES } from '../exit-codes.js';
import { createProgress } from '../progress.js';
import { selectStrategies } from '../strategies/registry.js';
import { selectForNodes } from './node-selection.js';

/** Parsed options of `redis-locks compare`. */
export interface CompareCommandOptions {
  url?: string[];
  strategies?: string[];
  duration: number;
  processes: number;
  concurrency: number;
  resources: number;
  hold: number;
  handoffs: number;
  json?: boolean;
  quiet?: boolean;
}

/** Runs `compare`: progress on stderr, the table or JSON on stdout, exit code 0 / 1 (overlap) / 3 (failed). */
export async function compareAction(options: CompareCommandOptions, context: CliContext): Promise<void> {
  const explicit = options.strategies !== undefined && options.strategies.length > 0;
  let entries = selectStrategies(options.strategies);
  if (options.url) {
    // Checked before any progress output. A quorum strategy named explicitly with too few --url is a
    // usage error (exit 2); among the default ones it is left out with a note, so one server still compares.
    const selection = selectForNodes(entries, explicit, options.url);
    entries = selection.strategies;
    for (const note of selection.notes) context.stderr.write(`note: ${note}\n`);
  }
  const strategies = entries.map((entry) => entry.name);
  const progress = await createProgress(
    options.quiet === true || (options.json === true && !process.stderr.isTTY),
  );
  let report: Awaited<ReturnType<typeof runCompare>>;
  try {
    report = await runCompare({
      ...(options.url ? { urls: options.url } : {}),
      strategies,
      durationMs: options.duration,
      processes: options.processes,
      concurrency: options.concurrency,
      resources: options.resources,
      holdMaxMs: options.hold,
      handoffRounds: options.handoffs,
      signal: context.signal,
      onProgress: (step) => progress.update(step.message),
    });
  } finally {
    progress.stop();
  }
  context.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderCompareReport(report));
  for (const failed of report.strategies.filter((s) => s.status === 'failed')) {
    context.stderr.write(`error: ${failed.name}: ${failed.error}\n`);
  }
  context.setExitCode(
    report.totalOverlaps > 0 ? EXIT_CODES.failed : report.ok ? EXIT_CODES.ok : EXIT_CODES.runtime,
  );
}
