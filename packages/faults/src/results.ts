import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One row of the campaign's summary table. */
export interface SummaryRow {
  scenario: string;
  strategy: string;
  /** `full`, `smoke` or `soak`. */
  profile: string;
  /** Lock operations (acquisitions, rounds, …) the scenario made. */
  operations: number;
  /** Faults injected (pauses, stalls, crashes, dropped replies, …). */
  faults: number;
  /** Safety violations found (must be 0 except in a negative control). */
  violations: number;
  /** True for a negative control: `violations` must then be > 0. */
  control: boolean;
  /** Scenario-specific counts. */
  details?: Record<string, unknown>;
  durationMs: number;
}

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const runId = process.env.FAULTS_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');

/** Prints the one-line summary and appends the row to `results/<profile>-<run>.jsonl`. */
export function report(row: SummaryRow): void {
  const verdict = row.control
    ? row.violations > 0
      ? 'control CAUGHT'
      : 'control MISSED'
    : row.violations === 0
      ? 'ok'
      : 'VIOLATIONS';
  console.log(
    `[faults] ${row.scenario} | ${row.strategy}${row.control ? ' (negative control)' : ''} | ` +
      `operations=${row.operations} faults=${row.faults} violations=${row.violations} | ${verdict} | ` +
      `${(row.durationMs / 1000).toFixed(1)}s${row.details ? ` | ${JSON.stringify(row.details)}` : ''}`,
  );
  mkdirSync(RESULTS_DIR, { recursive: true });
  appendFileSync(`${RESULTS_DIR}${row.profile}-${runId}.jsonl`, `${JSON.stringify(row)}\n`);
}
