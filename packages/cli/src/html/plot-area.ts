import { type Axis, tickLabel } from './axis-ticks.js';
import { escapeHtml } from './escape-html.js';

/** The rectangle of an SVG chart the data is drawn in, in SVG pixels. */
export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** The x pixel of `value` on `axis` inside `plot`. */
export function xPixel(plot: PlotArea, axis: Axis, value: number): number {
  return plot.left + axis.fraction(value) * plot.width;
}

/** The frame of `plot`, vertical grid lines with tick labels under it, and the x-axis label. */
export function xAxisMarkup(plot: PlotArea, axis: Axis, label: string): string {
  const bottom = plot.top + plot.height;
  const parts = [
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" class="frame"/>`,
  ];
  for (const tick of axis.ticks) {
    const x = xPixel(plot, axis, tick).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${plot.top}" y2="${bottom}" class="grid"/>`,
      `<text x="${x}" y="${bottom + 15}" class="tick" text-anchor="middle">${tickLabel(tick)}</text>`,
    );
  }
  parts.push(
    `<text x="${plot.left + plot.width / 2}" y="${bottom + 34}" class="axis" text-anchor="middle">${escapeHtml(label)}</text>`,
  );
  return parts.join('');
}

/** An inline `<svg>` (no namespace URL needed inside HTML) with an accessible title and a visible caption. */
export function svgElement(width: number, height: number, title: string, body: string): string {
  const caption = escapeHtml(title);
  return (
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">` +
    `<title>${caption}</title><text x="8" y="18" class="title">${caption}</text>${body}</svg>`
  );
}
