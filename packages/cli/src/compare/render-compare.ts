import Table from 'cli-table3';
import pc from 'picocolors';
import type { CompareReport } from './compare-report.js';
import {
  COMPARE_HEADERS,
  type CompareRow,
  compareNotes,
  compareRow,
  compareVerdict,
  type OverlapVerdict,
  overlapLines,
} from './compare-text.js';

const COLOUR: Record<OverlapVerdict, (text: string) => string> = {
  exclusive: pc.green,
  overlap: (text) => pc.red(pc.bold(text)),
  incomplete: pc.yellow,
};

function cells(row: CompareRow): string[] {
  return [
    row.nodes === null ? pc.bold(row.strategy) : `${pc.bold(row.strategy)}\n${pc.dim(row.nodes)}`,
    row.failure === null ? row.guarantee : `${row.guarantee}\n${pc.red(row.failure)}`,
    row.acquisitionsPerSecond,
    row.handoff,
    row.fairness,
    COLOUR[row.verdict](row.overlaps),
  ];
}

/** The human-readable result of a compare run: a table, what was measured, and the verdict. */
export function renderCompareReport(report: CompareReport, width = process.stdout.columns || 120): string {
  const guaranteeWidth = Math.max(24, Math.min(60, width - 70));
  const table = new Table({
    head: COMPARE_HEADERS.map((h) => pc.bold(h)),
    colWidths: [null, guaranteeWidth, null, null, null, null] as unknown as number[],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right'],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const strategy of report.strategies) table.push(cells(compareRow(strategy)));

  const verdict = compareVerdict(report);
  const verdictColour =
    verdict.level === 'overlap' ? pc.red : verdict.level === 'incomplete' ? pc.yellow : pc.green;
  const overlaps = overlapLines(report).map((line) => `  ${line}`);
  const details = overlaps.length > 0 ? `\n${pc.red(overlaps.join('\n'))}` : '';
  return `${table.toString()}\n${pc.dim(compareNotes(report).join('\n'))}\n${verdictColour(verdict.text)}${details}\n`;
}
