import type { LineChart } from './line-chart.js';
import type { ReportTable } from './table.js';

/** What one scenario produced: tables for markdown and HTML, charts for HTML, and raw data for JSON. */
export interface ScenarioResult {
  /** Short id, used in file names and `--scenario` (`handoff`, `contention`, ...). */
  readonly id: string;
  /** `## ` heading. */
  readonly title: string;
  /** Paragraphs under the heading: settings, how it was measured. */
  readonly intro: readonly string[];
  /** Tables, in order. */
  readonly tables: readonly ReportTable[];
  /** Charts (HTML report only). */
  readonly charts: readonly LineChart[];
  /** Everything measured, for bench-results/<id>-*.json. */
  readonly data: unknown;
}
