import { writeFile } from 'node:fs/promises';
import type { CliContext } from '../cli-context.js';
import type { CompareReport } from '../compare/compare-report.js';
import { renderCompareReport } from '../compare/render-compare.js';
import { renderCompareHtml } from '../compare/render-compare-html.js';
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
  /** Absolute path of the HTML report to write (resolved and checked by the option parser). */
  html?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Writes the HTML report of `report` to `path`; the error message when that failed. */
async function writeHtmlReport(report: CompareReport, path: string): Promise<string | undefined> {
  try {
    await writeFile(path, renderCompareHtml(report), 'utf8');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Runs `compare`: progress on stderr, the table or JSON on stdout, with `--html` a report file, exit code
 * 0 / 1 (overlap) / 3 (a strategy failed, or the HTML report could not be written).
 */
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
  let report: CompareReport;
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
  // The report is written even when a strategy failed or overlapped: that is when it is most worth a look.
  const htmlError = options.html === undefined ? undefined : await writeHtmlReport(report, options.html);
  if (options.html !== undefined && htmlError === undefined) report = { ...report, htmlReport: options.html };
  context.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderCompareReport(report));
  for (const failed of report.strategies.filter((s) => s.status === 'failed')) {
    context.stderr.write(`error: ${failed.name}: ${failed.error}\n`);
  }
  if (htmlError !== undefined) {
    context.stderr.write(`error: could not write the HTML report: ${htmlError}\n`);
  } else if (report.htmlReport !== undefined) {
    context.stderr.write(`HTML report: ${report.htmlReport}\n`);
  }
  context.setExitCode(
    report.totalOverlaps > 0
      ? EXIT_CODES.failed
      : report.ok && htmlError === undefined
        ? EXIT_CODES.ok
        : EXIT_CODES.runtime,
  );
}
