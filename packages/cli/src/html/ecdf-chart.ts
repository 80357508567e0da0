import { axisFor } from './axis-ticks.js';
import { escapeHtml } from './escape-html.js';
import { type PlotArea, svgElement, xAxisMarkup, xPixel } from './plot-area.js';

/** The samples of one series. */
export interface EcdfSeries {
  readonly name: string;
  readonly samples: readonly number[];
  readonly colour: string;
  /** Legend text after the name (e.g. sample count and percentiles). */
  readonly detail?: string;
}

/** Empirical cumulative distributions of several series on one x axis. */
export interface EcdfChart {
  readonly title: string;
  /** X-axis label (the measured quantity, with its unit). */
  readonly xLabel: string;
  readonly series: readonly EcdfSeries[];
}

/** Above this ratio of largest to smallest positive sample, the x axis is logarithmic. */
const LOG_RATIO = 30;

/**
 * The chart as an inline `<svg>`: one step line per series (y = share of samples ≤ x), a dot per sample, a
 * legend. The x axis turns logarithmic when the samples span more than a factor of 30 (then only
 * positive samples are drawn).
 */
export function renderEcdfChart(chart: EcdfChart): string {
  const plot: PlotArea = { left: 52, top: 32, width: 540, height: 260 };
  const all = chart.series.flatMap((series) => series.samples).filter((v) => Number.isFinite(v));
  const positive = all.filter((v) => v > 0);
  const log = positive.length > 0 && Math.max(...positive) / Math.min(...positive) > LOG_RATIO;
  const axis = axisFor(all, log);
  const y = (share: number) => plot.top + plot.height * (1 - share);
  const parts = [xAxisMarkup(plot, axis, chart.xLabel)];
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    const py = y(share).toFixed(1);
    parts.push(
      `<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${py}" y2="${py}" class="grid"/>`,
      `<text x="${plot.left - 6}" y="${py}" class="tick" text-anchor="end" dominant-baseline="middle">${share}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(14 ${plot.top + plot.height / 2}) rotate(-90)" class="axis" text-anchor="middle">share of samples ≤ x</text>`,
  );
  chart.series.forEach((series, index) => {
    const sorted = series.samples.filter((v) => Number.isFinite(v) && (!log || v > 0)).sort((a, b) => a - b);
    if (sorted.length > 0) {
      const n = sorted.length;
      let d = `M${xPixel(plot, axis, sorted[0]!).toFixed(1)},${y(0).toFixed(1)}`;
      sorted.forEach((value, i) => {
        const px = xPixel(plot, axis, value).toFixed(1);
        d += `H${px}V${y((i + 1) / n).toFixed(1)}`;
      });
      parts.push(`<path d="${d}" fill="none" stroke="${series.colour}" stroke-width="1.8"/>`);
      sorted.forEach((value, i) => {
        parts.push(
          `<circle cx="${xPixel(plot, axis, value).toFixed(1)}" cy="${y((i + 1) / n).toFixed(1)}" r="2.4" fill="${series.colour}"/>`,
        );
      });
    }
    const ly = plot.top + 8 + index * 34;
    const lx = plot.left + plot.width + 14;
    parts.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${ly}" y2="${ly}" stroke="${series.colour}" stroke-width="2.5"/>`,
      `<text x="${lx + 26}" y="${ly}" class="legend" dominant-baseline="middle">${escapeHtml(series.name)}</text>`,
      `<text x="${lx + 26}" y="${ly + 14}" class="tick" dominant-baseline="middle">${escapeHtml(
        sorted.length > 0 ? (series.detail ?? `${sorted.length} samples`) : 'no samples',
      )}</text>`,
    );
  });
  const height = Math.max(plot.top + plot.height + 44, plot.top + 16 + chart.series.length * 34);
  return svgElement(plot.left + plot.width + 230, height, chart.title, parts.join(''));
}
