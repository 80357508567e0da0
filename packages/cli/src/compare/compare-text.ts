import type { CompareReport, StrategyComparison } from './compare-report.js';

/** Column headers of the compare table, in the terminal and in the HTML report. */
export const COMPARE_HEADERS = [
  'strategy',
  'guarantee',
  'acq/s',
  'hand-off p50 / p99 ms',
  'fairness',
  'overlaps',
] as const;

/** Whether a strategy's holds were all exclusive, some overlapped, or its run did not complete. */
export type OverlapVerdict = 'exclusive' | 'overlap' | 'incomplete';

/** One strategy's row of the compare table as plain text; renderers add the styling. */
export interface CompareRow {
  /** Strategy name. */
  readonly strategy: string;
  /** `3 nodes` for a quorum strategy, else `null`. */
  readonly nodes: string | null;
  /** Its guarantee, one sentence. */
  readonly guarantee: string;
  /** `run failed: …` when the run did not complete, else `null`. */
  readonly failure: string | null;
  /** Acquisitions per second, rounded. */
  readonly acquisitionsPerSecond: string;
  /** `p50 / p99` in ms. */
  readonly handoff: string;
  /** Jain's index over contenders, or `–`. */
  readonly fairness: string;
  /** Overlaps found (`0 (incomplete)` for a failed run). */
  readonly overlaps: string;
  /** How to colour the overlaps cell. */
  readonly verdict: OverlapVerdict;
}

/** A latency in ms with three significant figures (`–` for none). */
export function formatMs(value: number | null): string {
  if (value === null) return '–';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** The table row of one strategy. */
export function compareRow(strategy: StrategyComparison): CompareRow {
  const failed = strategy.status === 'failed';
  const verdict: OverlapVerdict = strategy.overlaps > 0 ? 'overlap' : failed ? 'incomplete' : 'exclusive';
  return {
    strategy: strategy.name,
    nodes: strategy.nodes > 1 ? `${strategy.nodes} nodes` : null,
    guarantee: strategy.guarantee,
    failure: failed ? `run failed: ${strategy.error}` : null,
    acquisitionsPerSecond: strategy.acquisitionsPerSecond.toFixed(0),
    handoff: `${formatMs(strategy.handoff.p50Ms)} / ${formatMs(strategy.handoff.p99Ms)}`,
    fairness: strategy.fairness.contenders === null ? '–' : strategy.fairness.contenders.toFixed(2),
    overlaps: verdict === 'incomplete' ? '0 (incomplete)' : String(strategy.overlaps),
    verdict,
  };
}

function nodesText(report: CompareReport): string {
  const { urls, owned } = report.redis;
  const started = owned ? ' (started for this run)' : '';
  if (urls.length <= 1) return `${report.redis.url}${started}`;
  return `${urls.length} nodes${started}: ${urls.join(', ')}; single-node strategies use the first`;
}

/** What was measured and where: the lines under the table. */
export function compareNotes(report: CompareReport): string[] {
  const s = report.settings;
  const contenders = s.processes * s.concurrency;
  return [
    `${contenders} contenders (${s.processes} processes × ${s.concurrency} loops) on ${s.resources} hot resources, ` +
      `holds 0–${s.holdMaxMs} ms, ${(s.durationMs / 1000).toFixed(1)} s per strategy; ` +
      `hand-off: release start → waiter in another process holds, ${s.handoffRounds} rounds; ` +
      'fairness: Jain index of acquisitions over contenders (1 = equal shares).',
    `Redis ${report.redis.version ?? '?'} at ${nodesText(report)}; ` +
      `wall time ${(report.wallTimeMs / 1000).toFixed(1)} s.`,
  ];
}

/** The one-line verdict of a run, and whether it is good, bad (an overlap) or incomplete. */
export function compareVerdict(report: CompareReport): {
  readonly level: OverlapVerdict;
  readonly text: string;
} {
  const failed = report.strategies.filter((strategy) => strategy.status === 'failed');
  if (report.totalOverlaps > 0) {
    return {
      level: 'overlap',
      text: `✖ ${report.totalOverlaps} overlapping holds found: a lock was granted twice.`,
    };
  }
  if (failed.length > 0) {
    return {
      level: 'incomplete',
      text: `! no overlaps, but ${failed.map((f) => f.name).join(', ')} did not complete.`,
    };
  }
  return { level: 'exclusive', text: '✔ no overlaps: every hold of every strategy was exclusive.' };
}

/** The first overlapping holds of each strategy (up to `perStrategy`), one line each. */
export function overlapLines(report: CompareReport, perStrategy = 3): string[] {
  return report.strategies.flatMap((strategy) =>
    strategy.overlapExamples
      .slice(0, perStrategy)
      .map(
        ({ resource, a, b }) =>
          `${strategy.name}: ${resource} held by ${a.owner} [${a.startMs.toFixed(3)}, ${a.endMs.toFixed(3)}] ms and ` +
          `${b.owner} [${b.startMs.toFixed(3)}, ${b.endMs.toFixed(3)}] ms`,
      ),
  );
}
