import { listKeys } from '@redis-locks/testing';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompareReport } from '../src/compare/compare-report.js';
import { assertBuilt, runBin } from './run-bin.js';

const url = inject('redisUrl');

beforeAll(() => assertBuilt());

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
    const { code, stdout } = await runBin([
      'compare',
      '--url',
      url,
      '--strategies',
      'optimistic',
      '--duration',
      '300',
      '--processes',
      '2',
      '--concurrency',
      '2',
      '--handoffs',
      '2',
      '--quiet',
    ]);
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
});
