import Table from 'cli-table3';
import pc from 'picocolors';
import type { CompareReport, StrategyComparison } from './compare-report.js';

function ms(value: number | null): string {
  if (value === null) return '–';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function overlapsCell(strategy: StrategyComparison): string {
  if (strategy.overlaps > 0) return pc.red(pc.bold(String(strategy.overlaps)));
  if (strategy.status === 'failed') return pc.yellow('0 (incomplete)');
  return pc.green('0');
}

function rowOf(strategy: StrategyComparison): string[] {
  const guarantee =
    strategy.status === 'failed'
      ? `${strategy.guarantee}\n${pc.red(`run failed: ${strategy.error}`)}`
      : strategy.guarantee;
  return [
    strategy.nodes > 1
      ? `${pc.bold(strategy.name)}\n${pc.dim(`${strategy.nodes} nodes`)}`
      : pc.bold(strategy.name),
    guarantee,
    strategy.acquisitionsPerSecond.toFixed(0),
    `${ms(strategy.handoff.p50Ms)} / ${ms(strategy.handoff.p99Ms)}`,
    strategy.fairness.contenders === null ? '–' : strategy.fairness.contenders.toFixed(2),
    overlapsCell(strategy),
  ];
}

function nodesText(report: CompareReport): string {
  const { urls, owned } = report.redis;
  const started = owned ? ' (started for this run)' : '';
  if (urls.length <= 1) return `${report.redis.url}${started}`;
  return `${urls.length} nodes${started}: ${urls.join(', ')}; single-node strategies use the first`;
}

/** The human-readable result of a compare run: a table, what was measured, and the verdict. */
export function renderCompareReport(report: CompareReport, width = process.stdout.columns || 120): string {
  const guaranteeWidth = Math.max(24, Math.min(60, width - 70));
  const table = new Table({
    head: ['strategy', 'guarantee', 'acq/s', 'hand-off p50 / p99 ms', 'fairness', 'overlaps'].map((h) =>
      pc.bold(h),
    ),
    colWidths: [null, guaranteeWidth, null, null, null, null] as unknown as number[],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right'],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const strategy of report.strategies) table.push(rowOf(strategy));

  const s = report.settings;
  const contenders = s.processes * s.concurrency;
  const notes = [
    `${contenders} contenders (${s.processes} processes × ${s.concurrency} loops) on ${s.resources} hot resources, ` +
      `holds 0–${s.holdMaxMs} ms, ${(s.durationMs / 1000).toFixed(1)} s per strategy; ` +
      `hand-off: release start → waiter in another process holds, ${s.handoffRounds} rounds; ` +
      'fairness: Jain index of acquisitions over contenders (1 = equal shares).',
    `Redis ${report.redis.version ?? '?'} at ${nodesText(report)}; ` +
      `wall time ${(report.wallTimeMs / 1000).toFixed(1)} s.`,
  ];
  const overlapLines = report.strategies.flatMap((strategy) =>
    strategy.overlapExamples
      .slice(0, 3)
      .map(
        ({ resource, a, b }) =>
          `  ${strategy.name}: ${resource} held by ${a.owner} [${a.startMs.toFixed(3)}, ${a.endMs.toFixed(3)}] ms and ` +
          `${b.owner} [${b.startMs.toFixed(3)}, ${b.endMs.toFixed(3)}] ms`,
      ),
  );
  const failed = report.strategies.filter((strategy) => strategy.status === 'failed');
  const verdict =
    report.totalOverlaps > 0
      ? pc.red(`✖ ${report.totalOverlaps} overlapping holds found: a lock was granted twice.`)
      : failed.length > 0
        ? pc.yellow(`! no overlaps, but ${failed.map((f) => f.name).join(', ')} did not complete.`)
        : pc.green('✔ no overlaps: every hold of every strategy was exclusive.');
  const details = overlapLines.length > 0 ? `\n${pc.red(overlapLines.join('\n'))}` : '';
  return `${table.toString()}\n${pc.dim(notes.join('\n'))}\n${verdict}${details}\n`;
}
