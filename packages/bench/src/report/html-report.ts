import type { MachineInfo } from '../machine.js';
import { renderLineChart } from './line-chart.js';
import type { ScenarioResult } from './scenario-result.js';
import { escapeHtml, tableToHtml } from './table.js';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1200px; color: #222; padding: 0 16px; }
table { border-collapse: collapse; margin: 8px 0 20px; font-size: 12.5px; }
th, td { border: 1px solid #ccc; padding: 3px 7px; white-space: nowrap; }
th { background: #f2f2f2; } td.r, th.r { text-align: right; } td.l, th.l { text-align: left; }
svg { display: block; margin: 8px 0 24px; } svg .title { font-weight: 600; font-size: 13px; }
svg .frame { fill: none; stroke: #999; } svg .grid { stroke: #e6e6e6; } svg .tick, svg .legend { font-size: 11px; }
svg .axis { font-size: 12px; } .muted { color: #666; }`;

/** A self-contained HTML page (inline CSS and SVG, no script, no network) with every scenario's tables and charts. */
export function renderHtmlReport(
  results: readonly ScenarioResult[],
  meta: { machine: MachineInfo; startedAt: string; loadAverage: { atStart: number[]; atEnd: number[] } },
): string {
  const { machine, loadAverage } = meta;
  const header = [
    '<h1>redis-locks benchmarks</h1>',
    `<p class="muted">${escapeHtml(
      `${meta.startedAt} · ${machine.nproc} CPUs, ${machine.cpuModel}, ${machine.memoryGiB} GiB · node ${machine.node} · ` +
        `redis ${machine.redis} · load average ${loadAverage.atStart[0]?.toFixed(2)} at start, ` +
        `${loadAverage.atEnd[0]?.toFixed(2)} at end (shared machine: absolute figures are noisy)`,
    )}</p>`,
  ];
  const sections = results.map((result) =>
    [
      `<h2>${escapeHtml(result.title)}</h2>`,
      ...result.intro.map((p) => `<p>${escapeHtml(p)}</p>`),
      ...result.charts.map(renderLineChart),
      ...result.tables.map(tableToHtml),
    ].join('\n'),
  );
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>redis-locks benchmarks</title><style>${STYLE}</style></head>\n<body>\n${[...header, ...sections].join('\n')}\n</body></html>\n`;
}
