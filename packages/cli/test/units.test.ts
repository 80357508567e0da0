import { describe, expect, it } from 'vitest';
import { resolveCompareSettings } from '../src/compare/compare-options.js';
import { jainFairness, percentile } from '../src/compare/statistics.js';
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
