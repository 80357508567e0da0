import { escapeHtml } from './table.js';

/** One line of a chart. */
export interface ChartSeries {
  /** Legend label. */
  readonly name: string;
  /** Points, x ascending. */
  readonly points: readonly (readonly [number, number])[];
  /** Draw the line dashed (e.g. for the floor). */
  readonly dashed?: boolean;
}

/** A line chart rendered as inline SVG: no script, no network. */
export interface LineChart {
  /** Caption. */
  readonly title: string;
  /** X axis label. */
  readonly xLabel: string;
  /** Y axis label. */
  readonly yLabel: string;
  /** Logarithmic x axis. */
  readonly logX?: boolean;
  /** Logarithmic y axis. */
  readonly logY?: boolean;
  /** Mark every point with a dot. */
  readonly dots?: boolean;
  /** The lines. */
  readonly series: readonly ChartSeries[];
}

const PALETTE = [
  '#222222',
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
  '#ad494a',
];

function niceTicks(min: number, max: number, log: boolean): number[] {
  if (log) {
    // Decades, with 2× and 5× steps when the data spans few of them; trimmed to just enclose [min, max].
    const few = Math.log10(max / min) <= 2.5;
    const candidates: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (const m of few ? [1, 2, 5] : [1]) candidates.push(Number((m * 10 ** e).toPrecision(6)));
    }
    const first = candidates.filter((t) => t <= min).at(-1) ?? candidates[0]!;
    const last = candidates.find((t) => t >= max) ?? candidates.at(-1)!;
    return candidates.filter((t) => t >= first && t <= last);
  }
  const span = max - min || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const unit = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) ?? step * 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / unit) * unit; t <= max + unit * 1e-9; t += unit)
    ticks.push(Number(t.toPrecision(6)));
  return ticks;
}

function label(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${value / 1e6}M`;
  if (abs >= 1e3) return `${value / 1e3}k`;
  return String(Number(value.toPrecision(3)));
}

/** The chart as an `<svg>` element (1000 wide, about 360 high). */
export function renderLineChart(chart: LineChart): string {
  const width = 1000;
  const plot = { left: 70, top: 30, width: 500, height: 280 };
  const all = chart.series
    .flatMap((s) => s.points)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const usable = all.filter(([x, y]) => (!chart.logX || x > 0) && (!chart.logY || y > 0));
  if (usable.length === 0) return `<p>${escapeHtml(chart.title)}: no data</p>`;
  let [xMin, xMax] = [Math.min(...usable.map((p) => p[0])), Math.max(...usable.map((p) => p[0]))];
  let [yMin, yMax] = [Math.min(...usable.map((p) => p[1])), Math.max(...usable.map((p) => p[1]))];
  if (!chart.logY) yMin = Math.min(0, yMin);
  if (xMin === xMax) [xMin, xMax] = chart.logX ? [xMin / 2, xMax * 2] : [xMin - 1, xMax + 1];
  if (yMin === yMax) [yMin, yMax] = chart.logY ? [yMin / 2, yMax * 2] : [yMin - 1, yMax + 1];
  const xTicks = niceTicks(xMin, xMax, chart.logX === true);
  const yTicks = niceTicks(yMin, yMax, chart.logY === true);
  [xMin, xMax] = [Math.min(xMin, xTicks[0]!), Math.max(xMax, xTicks.at(-1)!)];
  [yMin, yMax] = [Math.min(yMin, yTicks[0]!), Math.max(yMax, yTicks.at(-1)!)];
  const scale = (v: number, lo: number, hi: number, log: boolean) =>
    log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
  const px = (x: number) => plot.left + scale(x, xMin, xMax, chart.logX === true) * plot.width;
  const py = (y: number) => plot.top + plot.height - scale(y, yMin, yMax, chart.logY === true) * plot.height;
  const parts: string[] = [`<title>${escapeHtml(chart.title)}</title>`];
  parts.push(
    `<text x="${plot.left}" y="18" class="title">${escapeHtml(chart.title)}</text>`,
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" class="frame"/>`,
  );
  for (const t of xTicks) {
    const x = px(t).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${plot.top}" y2="${plot.top + plot.height}" class="grid"/>`,
      `<text x="${x}" y="${plot.top + plot.height + 16}" class="tick" text-anchor="middle">${label(t)}</text>`,
    );
  }
  for (const t of yTicks) {
    const y = py(t).toFixed(1);
    parts.push(
      `<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${y}" y2="${y}" class="grid"/>`,
      `<text x="${plot.left - 6}" y="${y}" class="tick" text-anchor="end" dominant-baseline="middle">${label(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${plot.left + plot.width / 2}" y="${plot.top + plot.height + 36}" class="axis" text-anchor="middle">${escapeHtml(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${plot.top + plot.height / 2}) rotate(-90)" class="axis" text-anchor="middle">${escapeHtml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, index) => {
    const color = PALETTE[index % PALETTE.length]!;
    const points = series.points.filter(
      ([x, y]) =>
        Number.isFinite(x) && Number.isFinite(y) && (!chart.logX || x > 0) && (!chart.logY || y > 0),
    );
    if (points.length > 0) {
      const d = points
        .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`)
        .join('');
      parts.push(
        `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"${series.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      );
      if (chart.dots) {
        for (const [x, y] of points)
          parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${color}"/>`);
      }
    }
    const ly = plot.top + 8 + index * 16;
    parts.push(
      `<line x1="${plot.left + plot.width + 12}" x2="${plot.left + plot.width + 32}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text x="${plot.left + plot.width + 36}" y="${ly}" class="legend" dominant-baseline="middle">${escapeHtml(series.name)}</text>`,
    );
  });
  const height = Math.max(plot.top + plot.height + 48, plot.top + 16 + chart.series.length * 16);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${parts.join('')}</svg>`;
}
