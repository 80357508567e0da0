import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listKeys } from '@redis-locks/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompareReport } from '../src/compare/compare-report.js';
import { assertBuilt, runBin } from './run-bin.js';

const url = inject('redisUrl');

const scratch = mkdtempSync(join(tmpdir(), 'redis-locks-compare-'));

beforeAll(() => assertBuilt());
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `compare` against the test server with small settings, plus `extra` flags. */
function smallCompare(strategies: string, handoffs: number, extra: string[]): string[] {
  const small = [
    '--duration',
    '300',
    '--processes',
    '2',
    '--concurrency',
    '2',
    '--handoffs',
    String(handoffs),
  ];
  return ['compare', '--url', url, '--strategies', strategies, ...small, ...extra];
}

/** Occurrences of `needle` in `text`. */
function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('redis-locks compare (built binary, real Redis)', () => {
  it('runs the single-node strategies in worker processes on a given server, finds no overlap and exits 0', async () => {
    // One --url and no --strategies: redlock, which needs 3 nodes, is left out with a note.
    const { code, stdout, stderr } = await runBin([
      'compare',
      '--url',
      url,
      '--duration',
      '800',
      '--handoffs',
      '5',
      '--json',
    ]);
    expect(stderr).not.toMatch(/error/i);
    expect(stderr).toMatch(/note: redlock skipped: it needs 3 independent Redis nodes and 1 --url was given/);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CompareReport;
    expect(report).toMatchObject({
      schemaVersion: 1,
      redis: { url, urls: [url], owned: false },
      settings: { durationMs: 800, processes: 4, concurrency: 4, resources: 3, handoffRounds: 5 },
      totalOverlaps: 0,
      ok: true,
    });
    expect(report.redis.version).toMatch(/^\d+\.\d+/);
    expect(report.strategies.map((s) => s.name)).toEqual(['optimistic', 'keyed', 'semaphore']);
    for (const strategy of report.strategies) {
      expect(strategy.status, strategy.error).toBe('ok');
      expect(strategy.guarantee).toMatch(/single primary/i);
      expect(strategy.nodes).toBe(1);
      expect(strategy.capabilities).toMatchObject({
        fencing: true,
        multiNode: false,
        wakeup: strategy.name === 'semaphore' ? 'pubsub' : 'poll',
      });
      expect(strategy.overlaps).toBe(0);
      expect(strategy.overlapExamples).toEqual([]);
      expect(strategy.acquisitions).toBeGreaterThan(0);
      expect(strategy.acquisitionsPerSecond).toBeGreaterThan(0);
      expect(strategy.fairness.acquisitionsPerContender).toHaveLength(16);
      expect(strategy.fairness.contenders).toBeGreaterThan(0);
      expect(strategy.fairness.contenders).toBeLessThanOrEqual(1);
      expect(strategy.handoff.samples).toBe(5);
      expect(strategy.handoff.samplesMs).toHaveLength(5);
      expect(strategy.handoff.p50Ms).toBeGreaterThan(0);
      expect(strategy.handoff.p99Ms).toBeGreaterThanOrEqual(strategy.handoff.p50Ms!);
      expect(strategy.wait.samples).toBe(strategy.acquisitions);
      expect(strategy.errors).toBe(0);
      expect(strategy.lostReleases).toBe(0);
    }
    // With --url, compare leaves no key behind.
    expect(await listKeys(url, 'redis-locks:compare:*')).toEqual([]);
  });

  it('runs redlock on 3 redis-servers it starts and stops itself: no overlap, acquisitions > 0', async () => {
    const { code, stdout, stderr } = await runBin([
      'compare',
      '--strategies',
      'redlock',
      '--duration',
      '800',
      '--handoffs',
      '5',
      '--json',
    ]);
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CompareReport;
    expect(report).toMatchObject({ redis: { owned: true }, totalOverlaps: 0, ok: true });
    expect(new Set(report.redis.urls).size).toBe(3);
    expect(report.redis.url).toBe(report.redis.urls[0]);
    const [redlock] = report.strategies;
    expect(redlock).toMatchObject({
      name: 'redlock',
      status: 'ok',
      nodes: 3,
      guarantee: expect.stringMatching(/majority of independent nodes/),
      capabilities: { fencing: true, multiNode: true },
      overlaps: 0,
      errors: 0,
      lostReleases: 0,
    });
    expect(redlock!.acquisitions).toBeGreaterThan(0);
    expect(redlock!.handoff.samples).toBe(5);
  });

  it('catches the deliberately broken unsafe-get-set lock: overlaps reported, exit code 1', async () => {
    const { code, stdout } = await runBin([
      'compare',
      '--url',
      url,
      '--strategies',
      'unsafe-get-set',
      '--duration',
      '800',
      '--handoffs',
      '2',
      '--json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as CompareReport;
    expect(report.ok).toBe(false);
    expect(report.totalOverlaps).toBeGreaterThan(0);
    const [broken] = report.strategies;
    expect(broken?.overlaps).toBe(report.totalOverlaps);
    expect(broken?.overlapExamples[0]).toMatchObject({ a: { owner: expect.stringMatching(/^w\d+\./) } });
  });

  it('prints a table with every column in human mode', async () => {
    const { code, stdout } = await runBin(smallCompare('optimistic', 2, ['--quiet']));
    expect(code).toBe(0);
    for (const column of [
      'strategy',
      'guarantee',
      'acq/s',
      'hand-off p50 / p99 ms',
      'fairness',
      'overlaps',
    ]) {
      expect(stdout).toContain(column);
    }
    expect(stdout).toContain('optimistic');
    expect(stdout).toContain('no overlaps');
  });

  it('--html writes one self-contained HTML report with the table and a chart per measure', async () => {
    const file = join(scratch, 'report.html');
    const { code, stdout, stderr } = await runBin(
      smallCompare('optimistic,semaphore', 3, ['--json', '--html', file]),
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as CompareReport;
    expect(report.htmlReport).toBe(file);
    expect(stderr).toContain(`HTML report: ${file}`);
    expect(existsSync(file)).toBe(true);

    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html.trimEnd()).toMatch(/<\/body>\n<\/html>$/);
    expect(html).toContain('<meta charset="utf-8">');
    for (const tag of ['head', 'body', 'style', 'table']) {
      expect(count(html, `<${tag}`), tag).toBe(1);
      expect(count(html, `</${tag}>`), tag).toBe(1);
    }
    // Two charts: acquisitions/s (a bar per strategy) and hand-off latency (an ECDF per strategy).
    expect(count(html, '<svg ')).toBe(2);
    expect(count(html, '</svg>')).toBe(2);
    expect(html).toContain('Acquisitions per second');
    expect(html).toContain('Hand-off latency');
    for (const header of ['guarantee', 'acq/s', 'hand-off p50 / p99 ms', 'fairness', 'overlaps']) {
      expect(html).toContain(`${header}</th>`);
    }
    for (const strategy of report.strategies) {
      // Named in the table row, the bar chart and the ECDF legend.
      expect(count(html, `>${strategy.name}<`), strategy.name).toBeGreaterThanOrEqual(3);
      expect(html).toContain(`>${strategy.acquisitionsPerSecond.toFixed(0)}</td>`);
    }
    // One dot per hand-off sample of each strategy.
    expect(count(html, '<circle ')).toBe(2 * 3);
    // Self-contained: nothing loaded, nothing run.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|@import|url\(/i);
    expect(html).not.toMatch(/https?:/i);
  });

  it('--html in table mode prints the path on stderr and the table on stdout', async () => {
    const { code, stdout, stderr } = await runBin(
      [
        'compare',
        '--url',
        url,
        '--strategies',
        'keyed',
        '--duration',
        '200',
        '--processes',
        '2',
        '--concurrency',
        '1',
        '--handoffs',
        '2',
        '--quiet',
        '--html',
        'nested-report.html',
      ],
      { cwd: scratch },
    );
    const file = join(scratch, 'nested-report.html');
    expect(code).toBe(0);
    expect(stdout).toContain('hand-off p50 / p99 ms');
    expect(stderr.trim()).toBe(`HTML report: ${file}`);
    expect(readFileSync(file, 'utf8')).toContain('>keyed<');
  });
});
