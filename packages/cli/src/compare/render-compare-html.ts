import { renderBarChart } from '../html/bar-chart.js';
import { renderEcdfChart } from '../html/ecdf-chart.js';
import { escapeHtml } from '../html/escape-html.js';
import { seriesColour } from '../html/palette.js';
import type { CompareReport, StrategyComparison } from './compare-report.js';
import {
  COMPARE_HEADERS,
  type CompareRow,
  compareNotes,
  compareRow,
  compareVerdict,
  formatMs,
  overlapLines,
} from './compare-text.js';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
table { border-collapse: collapse; margin: 8px 0 12px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
th { background: #f2f2f2; text-align: left; } td.r, th.r { text-align: right; white-space: nowrap; }
.muted { color: #666; } .bad { color: #b00020; } .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; }
.exclusive { color: #1b7f3b; } .overlap { color: #b00020; font-weight: 700; } .incomplete { color: #a15c00; }
.verdict { font-weight: 600; }
svg { display: block; margin: 8px 0 20px; max-width: 100%; height: auto; }
svg .title { font-weight: 600; font-size: 13px; } svg .frame { fill: none; stroke: #999; } svg .grid { stroke: #e6e6e6; }
svg .tick, svg .value { font-size: 11px; fill: #444; } svg .legend, svg .label { font-size: 12px; }
svg .axis { font-size: 12px; } svg .missing { font-size: 12px; fill: #b00020; }`;

const RIGHT_ALIGNED = new Set<string>(['acq/s', 'hand-off p50 / p99 ms', 'fairness', 'overlaps']);

function tableRow(row: CompareRow, colour: string): string {
  const strategy =
    `<span class="swatch" style="background:${colour}"></span><strong>${escapeHtml(row.strategy)}</strong>` +
    (row.nodes === null ? '' : `<br><span class="muted">${escapeHtml(row.nodes)}</span>`);
  const guarantee =
    escapeHtml(row.guarantee) +
    (row.failure === null ? '' : `<br><span class="bad">${escapeHtml(row.failure)}</span>`);
  const numbers = [row.acquisitionsPerSecond, row.handoff, row.fairness]
    .map((cell) => `<td class="r">${escapeHtml(cell)}</td>`)
    .join('');
  return (
    `<tr><td>${strategy}</td><td>${guarantee}</td>${numbers}` +
    `<td class="r ${row.verdict}">${escapeHtml(row.overlaps)}</td></tr>`
  );
}

function resultsTable(report: CompareReport): string {
  const head = COMPARE_HEADERS.map(
    (header) => `<th${RIGHT_ALIGNED.has(header) ? ' class="r"' : ''}>${escapeHtml(header)}</th>`,
  ).join('');
  const rows = report.strategies.map((strategy, index) =>
    tableRow(compareRow(strategy), seriesColour(index)),
  );
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function displayName(strategy: StrategyComparison): string {
  return strategy.nodes > 1 ? `${strategy.name} (${strategy.nodes} nodes)` : strategy.name;
}

function throughputChart(report: CompareReport): string {
  return renderBarChart({
    title: 'Acquisitions per second under contention (all contenders)',
    valueLabel: 'acquisitions / s',
    bars: report.strategies.map((strategy, index) => ({
      label: displayName(strategy),
      value: strategy.status === 'ok' ? strategy.acquisitionsPerSecond : null,
      colour: seriesColour(index),
      missing: 'run failed',
    })),
  });
}

function handoffChart(report: CompareReport): string {
  return renderEcdfChart({
    title: 'Hand-off latency: holder starts releasing → waiter in another process holds (ECDF)',
    xLabel: 'hand-off latency, ms',
    series: report.strategies.map((strategy, index) => ({
      name: displayName(strategy),
      samples: strategy.handoff.samplesMs,
      colour: seriesColour(index),
      detail:
        `p50 ${formatMs(strategy.handoff.p50Ms)} · p99 ${formatMs(strategy.handoff.p99Ms)} ms · ` +
        `n = ${strategy.handoff.samples}`,
    })),
  });
}

/**
 * A compare run as one self-contained HTML page — inline CSS and inline SVG, no script, no external resource:
 * the table of the terminal output, a bar chart of acquisitions per second and the hand-off latency
 * distribution (ECDF) of every strategy.
 */
export function renderCompareHtml(report: CompareReport): string {
  const verdict = compareVerdict(report);
  const overlaps = overlapLines(report);
  const body = [
    '<h1>redis-locks compare</h1>',
    `<p class="muted">${escapeHtml(`Started ${report.startedAt}.`)}</p>`,
    `<p class="verdict ${verdict.level}">${escapeHtml(verdict.text)}</p>`,
    ...(overlaps.length > 0
      ? [`<ul class="overlap">${overlaps.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`]
      : []),
    resultsTable(report),
    ...compareNotes(report).map((note) => `<p class="muted">${escapeHtml(note)}</p>`),
    '<h2>Throughput</h2>',
    throughputChart(report),
    '<h2>Hand-off latency</h2>',
    `<p>${escapeHtml(
      `One sample per hand-off round (${report.settings.handoffRounds} per strategy); a point at (x, y) means ` +
        'that a share y of the hand-offs took x ms or less: a curve further left is faster.',
    )}</p>`,
    handoffChart(report),
  ];
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(`redis-locks compare, ${report.startedAt}`)}</title>\n<style>${STYLE}\n</style>\n</head>\n` +
    `<body>\n${body.join('\n')}\n</body>\n</html>\n`
  );
}
