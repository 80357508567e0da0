// The suite proves it has teeth: it runs against deliberately broken strategies in child vitest
// processes and must fail them, in the groups meant to catch each flaw, while a correct reference
// strategy passes under the same mechanism.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '@redis-locks/testing/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { conformanceGroups } from '../src/index.js';
import type { FixtureMode } from './fixtures/strategies.js';

interface JsonAssertion {
  ancestorTitles: string[];
  title: string;
  status: string;
}

interface JsonReport {
  numTotalTests: number;
  numFailedTests: number;
  numPassedTests: number;
  testResults: Array<{ status: string; message?: string; assertionResults: JsonAssertion[] }>;
}

interface FixtureRun {
  exitCode: number | null;
  report: JsonReport;
  output: string;
  /** Titles of failed tests per group title. */
  failedByGroup: Map<string, string[]>;
  passedByGroup: Map<string, number>;
}

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const vitestCli = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const groupTitles = new Set<string>(Object.values(conformanceGroups));
const CHILD_TIMEOUT = 150_000;

let workDir = '';

async function runFixture(mode: FixtureMode): Promise<FixtureRun> {
  const outputFile = join(workDir, `${mode}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: inject('redisUrl'), CONFORMANCE_FIXTURE: mode };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];
  const args = [
    vitestCli,
    'run',
    '--config',
    'test/fixtures/vitest.config.ts',
    '--reporter=json',
    `--outputFile=${outputFile}`,
  ];
  const child = spawn(process.execPath, args, { cwd: packageRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  let report: JsonReport;
  try {
    report = JSON.parse(await readFile(outputFile, 'utf8')) as JsonReport;
  } catch (error) {
    throw new Error(
      `child vitest run for ${mode} produced no JSON report (exit ${exitCode}):\n${output.slice(-4000)}`,
      {
        cause: error,
      },
    );
  }
  const failedByGroup = new Map<string, string[]>();
  const passedByGroup = new Map<string, number>();
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      const group = test.ancestorTitles.find((t) => groupTitles.has(t)) ?? '(none)';
      if (test.status === 'failed')
        failedByGroup.set(group, [...(failedByGroup.get(group) ?? []), test.title]);
      if (test.status === 'passed') passedByGroup.set(group, (passedByGroup.get(group) ?? 0) + 1);
    }
  }
  return { exitCode, report, output, failedByGroup, passedByGroup };
}

function summary(run: FixtureRun): string {
  const failed = [...run.failedByGroup]
    .map(([group, titles]) => `  ${group}: ${titles.join(' | ')}`)
    .join('\n');
  return `exit ${run.exitCode}, ${run.report.numFailedTests} failed of ${run.report.numTotalTests}\n${failed}`;
}

describe('the conformance suite has teeth', () => {
  const runs = new Map<FixtureMode, FixtureRun>();

  beforeAll(
    async () => {
      workDir = await mkdtemp(join(tmpdir(), 'conformance-self-test-'));
      const modes: FixtureMode[] = ['reference', 'broken-release', 'broken-acquire'];
      // One child suite at a time: three at once starve each other's timers on a 2-core machine.
      for (const mode of modes) runs.set(mode, await runFixture(mode));
    },
    3 * CHILD_TIMEOUT + 30_000,
  );

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('passes a correct reference strategy through the same fixture mechanism (control)', () => {
    const run = runs.get('reference')!;
    expect(run.report.numFailedTests, summary(run)).toBe(0);
    expect(run.exitCode, run.output.slice(-4000)).toBe(0);
    expect(run.report.numPassedTests).toBeGreaterThanOrEqual(40);
  });

  it('fails a strategy whose release is GET then DEL (no atomic owner check)', () => {
    const run = runs.get('broken-release')!;
    expect(run.exitCode).not.toBe(0);
    expect(run.report.numFailedTests, summary(run)).toBeGreaterThan(0);
  });

  it('reports the GET-then-DEL release in the ownership group (forged and stale locks)', () => {
    const run = runs.get('broken-release')!;
    const failed = run.failedByGroup.get(conformanceGroups.ownership) ?? [];
    expect(failed, summary(run)).toEqual(
      expect.arrayContaining([expect.stringMatching(/forged lock/), expect.stringMatching(/stale lock/)]),
    );
  });

  it('fails a strategy whose acquire is GET then SET (not atomic)', () => {
    const run = runs.get('broken-acquire')!;
    expect(run.exitCode).not.toBe(0);
    expect(run.report.numFailedTests, summary(run)).toBeGreaterThan(0);
  });

  it('reports the non-atomic acquire in the mutual-exclusion stress group (overlaps and racing tryAcquire)', () => {
    const run = runs.get('broken-acquire')!;
    const failed = run.failedByGroup.get(conformanceGroups.stress) ?? [];
    expect(failed, summary(run)).toEqual(
      expect.arrayContaining([expect.stringMatching(/two owners/), expect.stringMatching(/exactly one/)]),
    );
  });

  it('fails the broken strategies only where they are broken (contract and bad-input groups pass)', () => {
    for (const mode of ['broken-release', 'broken-acquire'] as const) {
      const run = runs.get(mode)!;
      for (const group of [
        conformanceGroups.contract,
        conformanceGroups.badInput,
        conformanceGroups.expiry,
      ]) {
        expect(run.failedByGroup.get(group) ?? [], `${mode}: ${group}`).toEqual([]);
        expect(run.passedByGroup.get(group) ?? 0, `${mode}: ${group} ran`).toBeGreaterThan(0);
      }
    }
  });
});
