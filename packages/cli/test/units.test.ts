import { describe, expect, it } from 'vitest';
import { resolveCompareSettings } from '../src/compare/compare-options.js';
import type { CompareReport, StrategyComparison } from '../src/compare/compare-report.js';
import { renderCompareHtml } from '../src/compare/render-compare-html.js';
import { jainFairness, percentile } from '../src/compare/statistics.js';
import { axisFor, tickLabel } from '../src/html/axis-ticks.js';
import { escapeHtml } from '../src/html/escape-html.js';
import { ownerPreview } from '../src/locks/owner-preview.js';
import { hashTagLayout } from '../src/strategies/hash-tag-layout.js';
import {
  checkNodeCount,
  findStrategy,
  nodesFor,
  partitionByNodeCount,
  selectStrategies,
} from '../src/strategies/registry.js';

describe('statistics', () => {
  it('percentile uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile([], 0.5)).toBeNull();
  });

  it("Jain's index is 1 for equal shares and 1/n when one contender gets everything", () => {
    expect(jainFairness([5, 5, 5, 5])).toBe(1);
    expect(jainFairness([8, 0, 0, 0])).toBe(0.25);
    expect(jainFairness([])).toBeNull();
    expect(jainFairness([0, 0])).toBeNull();
  });
});

describe('hashTagLayout', () => {
  it('maps lock keys back to resources and skips fencing counters', () => {
    const key = hashTagLayout.lockKey('ns', 'a}b%c');
    expect(hashTagLayout.resourceOf('ns', key)).toBe('a}b%c');
    expect(hashTagLayout.resourceOf('ns', `${key}:fence`)).toBeUndefined();
    expect(hashTagLayout.resourceOf('other', key)).toBeUndefined();
  });

  it('escapes glob characters of the namespace in scan patterns', () => {
    expect(hashTagLayout.scanPattern('a*b', 'orders:*')).toBe('a\\*b:{orders:*}');
  });
});

describe('ownerPreview', () => {
  it('shows at most a third of the token and never all of it', () => {
    expect(ownerPreview('0123456789abcdef0123456789abcdef')).toBe('012345…');
    expect(ownerPreview('abc')).toBe('a…');
    expect(ownerPreview('ab')).toBe('…');
    expect(ownerPreview(null)).toBeNull();
  });
});

describe('compare settings and strategy selection', () => {
  it('rejects settings out of range', () => {
    expect(() => resolveCompareSettings({ processes: 1 })).toThrow(RangeError);
    expect(resolveCompareSettings({}).durationMs).toBe(3000);
  });

  it('runs the real strategies by default and the broken demo only when named', () => {
    expect(selectStrategies().map((entry) => entry.name)).toEqual([
      'optimistic',
      'keyed',
      'semaphore',
      'redlock',
    ]);
    expect(selectStrategies(['unsafe-get-set', 'unsafe-get-set']).map((entry) => entry.name)).toEqual([
      'unsafe-get-set',
    ]);
    expect(() => selectStrategies(['nope'])).toThrow(/unknown strategy 'nope'/);
  });
});

describe('independent nodes', () => {
  const redlock = findStrategy('redlock');
  const optimistic = findStrategy('optimistic');
  const three = ['redis://a:1', 'redis://b:1', 'redis://c:1'];

  it('gives single-node strategies the first node and quorum strategies every node', () => {
    expect(nodesFor(optimistic, three)).toEqual(['redis://a:1']);
    expect(nodesFor(redlock, three)).toEqual(three);
  });

  it('rejects too few or repeated nodes for a quorum strategy, naming it', () => {
    expect(() => checkNodeCount([optimistic, redlock], three.slice(0, 2))).toThrow(
      /redlock needs 3 independent Redis nodes; 2 --url given/,
    );
    expect(() => checkNodeCount([redlock], [...three.slice(0, 2), 'redis://a:1'])).toThrow(/given twice/);
    expect(() => checkNodeCount([optimistic], ['redis://a:1'])).not.toThrow();
    expect(() => checkNodeCount([redlock], three)).not.toThrow();
  });

  it('leaves out quorum strategies that lack nodes when they were not named', () => {
    const { usable, skipped } = partitionByNodeCount(selectStrategies(), ['redis://a:1']);
    expect(usable.map((entry) => entry.name)).toEqual(['optimistic', 'keyed', 'semaphore']);
    expect(skipped.map((entry) => entry.name)).toEqual(['redlock']);
  });
});

describe('HTML report', () => {
  const strategy = (name: string, extra: Partial<StrategyComparison> = {}): StrategyComparison => ({
    name,
    guarantee: `${name} holds <b>"one"</b> & 'only one'.`,
    nodes: 1,
    capabilities: null,
    status: 'ok',
    acquisitions: 300,
    elapsedMs: 1000,
    acquisitionsPerSecond: 300,
    wait: { samples: 300, p50Ms: 1, p99Ms: 9, maxMs: 12 },
    handoff: { samples: 3, p50Ms: 2, p99Ms: 40, maxMs: 40, samplesMs: [40, 1.5, 2] },
    fairness: { contenders: 0.9, processes: 1, acquisitionsPerContender: [150, 150] },
    timeouts: 0,
    lostReleases: 0,
    errors: 0,
    overlaps: 0,
    overlapExamples: [],
    ...extra,
  });
  const report = (strategies: StrategyComparison[]): CompareReport => ({
    schemaVersion: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    wallTimeMs: 5000,
    redis: { url: 'redis://127.0.0.1:1', urls: ['redis://127.0.0.1:1'], owned: true, version: '7.2.0' },
    settings: resolveCompareSettings({}),
    strategies,
    totalOverlaps: strategies.reduce((sum, s) => sum + s.overlaps, 0),
    ok: strategies.every((s) => s.status === 'ok' && s.overlaps === 0),
  });

  it('escapes every text it puts in the page', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = renderCompareHtml(
      report([
        strategy('<img src=x onerror=alert(1)>', {
          status: 'failed',
          error: '</td><script>alert(2)</script>',
          handoff: { samples: 0, p50Ms: null, p99Ms: null, maxMs: null, samplesMs: [] },
        }),
      ]),
    );
    expect(html).not.toMatch(/<img|<script|<b>/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('run failed: &lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;&quot;one&quot;&lt;/b&gt; &amp; &#39;only one&#39;');
    expect(html).toContain('no samples');
  });

  it('draws a bar per strategy and an ECDF step per hand-off sample, overlaps flagged', () => {
    const html = renderCompareHtml(
      report([
        strategy('alpha'),
        strategy('beta', {
          overlaps: 2,
          overlapExamples: [
            {
              resource: 'hot-0',
              a: { owner: 'w0.0', startMs: 1, endMs: 3 },
              b: { owner: 'w1.0', startMs: 2, endMs: 4 },
            },
          ],
        }),
      ]),
    );
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html.match(/<rect [^>]*fill="#/g)).toHaveLength(2);
    expect(html.match(/<circle /g)).toHaveLength(6);
    expect(html).toContain('2 overlapping holds found');
    expect(html).toContain('beta: hot-0 held by w0.0');
    expect(html).toContain('<td class="r overlap">2</td>');
  });

  it('picks round ticks, and a log axis only when asked', () => {
    expect(axisFor([0, 7.3]).ticks).toEqual([0, 2, 4, 6, 8]);
    expect(axisFor([1.5, 40], true).ticks).toEqual([1, 2, 5, 10, 20, 50]);
    expect(axisFor([]).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect([0, 0.25, 1500, 2_000_000].map(tickLabel)).toEqual(['0', '0.25', '1.5k', '2M']);
  });
});
