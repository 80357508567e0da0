/**
 * Prints the summary rows of a run as a Markdown table: `pnpm --filter @redis-locks/faults summary [file]`
 * (default: the newest `results/*.jsonl`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, type SummaryRow } from './results.js';

const file =
  process.argv[2] ??
  readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(RESULTS_DIR, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
if (!file) throw new Error(`no results in ${RESULTS_DIR}`);

const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as SummaryRow)
  .sort((a, b) => a.scenario.localeCompare(b.scenario) || Number(a.control) - Number(b.control));

console.log(`results: ${file}\n`);
console.log('| scenario | strategy | operations | faults | violations | verdict | time |');
console.log('| --- | --- | ---: | ---: | ---: | --- | ---: |');
for (const r of rows) {
  const verdict = r.control
    ? r.violations > 0
      ? 'control caught'
      : 'CONTROL MISSED'
    : r.violations === 0
      ? 'ok'
      : 'VIOLATIONS';
  console.log(
    `| ${r.scenario} | ${r.strategy}${r.control ? ' (control)' : ''} | ${r.operations} | ${r.faults} | ${r.violations} | ${verdict} | ${(r.durationMs / 1000).toFixed(1)} s |`,
  );
}
