import { axisFor, tickLabel } from './axis-ticks.js';
import { escapeHtml } from './escape-html.js';
import { type PlotArea, svgElement, xAxisMarkup, xPixel } from './plot-area.js';

/** One bar: a category and its value (`null`: no bar, `missing` is written instead). */
export interface Bar {
  readonly label: string;
  readonly value: number | null;
  readonly colour: string;
  /** Shown instead of a bar when `value` is `null`. */
  readonly missing?: string;
}

/** A horizontal bar chart: one row per category, values on a linear x axis from 0. */
export interface BarChart {
  readonly title: string;
  /** X-axis label (what the values are, with their unit). */
  readonly valueLabel: string;
  readonly bars: readonly Bar[];
}

const ROW = 28;

/** The chart as an inline `<svg>`; each bar is labelled with its value. */
export function renderBarChart(chart: BarChart): string {
  const plot: PlotArea = { left: 170, top: 32, width: 540, height: Math.max(1, chart.bars.length) * ROW };
  const axis = axisFor(chart.bars.map((bar) => bar.value ?? 0));
  const parts = [xAxisMarkup(plot, axis, chart.valueLabel)];
  chart.bars.forEach((bar, index) => {
    const middle = plot.top + index * ROW + ROW / 2;
    parts.push(
      `<text x="${plot.left - 8}" y="${middle}" class="label" text-anchor="end" dominant-baseline="middle">${escapeHtml(bar.label)}</text>`,
    );
    if (bar.value === null) {
      parts.push(
        `<text x="${plot.left + 6}" y="${middle}" class="missing" dominant-baseline="middle">${escapeHtml(bar.missing ?? 'no data')}</text>`,
      );
      return;
    }
    const end = xPixel(plot, axis, bar.value);
    parts.push(
      `<rect x="${plot.left}" y="${(middle - 9).toFixed(1)}" width="${(end - plot.left).toFixed(1)}" height="18" fill="${bar.colour}"/>`,
      `<text x="${(end + 5).toFixed(1)}" y="${middle}" class="value" dominant-baseline="middle">${tickLabel(bar.value)}</text>`,
    );
  });
  return svgElement(plot.left + plot.width + 60, plot.top + plot.height + 44, chart.title, parts.join(''));
}
