import { expect, it } from 'vitest';
import { freshNamespace, leftoverLocks, shareFence, startServers, stress } from '../src/harness.js';
import { startWorkers, stopWorkers } from '../src/pool.js';
import { PROFILE, SIZES } from '../src/profile.js';
import { availableStrategies, naiveEntry, type StrategyEntry } from '../src/registry.js';
import { report } from '../src/results.js';

// Scenario 1 — baseline stress: processes × clients × keys, hold 0–20 ms; 0 overlaps, 0 lost updates,
// 0 stale writes. Control: a GET-then-SET acquire (non-atomic) must show overlaps and lost updates.
const { run, skipped } = await availableStrategies(1);
const S = SIZES.baseline;

async function baseline(entry: StrategyEntry, control: boolean, durationMs = S.durationMs) {
  const started = Date.now();
  const servers = await startServers(entry.nodes);
  const urls = servers.map((s) => s.url);
  const namespace = freshNamespace('s1');
  const workers = await startWorkers(S.processes, {
    strategy: entry.name,
    urls,
    namespace,
    instances: S.clients,
  });
  try {
    const { fenced } = shareFence(workers);
    const resources = Array.from({ length: S.keys }, (_, i) => `k${i}`);
    const v = await stress(
      workers,
      urls[0]!,
      {
        resources,
        durationMs,
        holdMaxMs: S.holdMaxMs,
        ttl: SIZES.ttl * 4,
        waitTimeout: 10_000,
      },
      fenced,
    );
    const left = await leftoverLocks(urls, namespace);
    const violations = v.overlaps + v.lostUpdates + v.staleAccepted;
    report({
      scenario: '1-baseline',
      strategy: control ? 'naive GET-then-SET acquire' : entry.name,
      profile: PROFILE,
      operations: v.ops,
      faults: 0,
      violations,
      control,
      durationMs: Date.now() - started,
      details: {
        processes: S.processes,
        clients: S.clients,
        keys: S.keys,
        overlaps: v.overlaps,
        lostUpdates: v.lostUpdates,
        staleAccepted: v.staleAccepted,
        errors: v.errors,
        leftoverLocks: left.length,
      },
    });
    return { v, left, violations };
  } finally {
    await stopWorkers(workers);
    await Promise.all(servers.map((s) => s.stop()));
  }
}

for (const entry of run) {
  it(`1 baseline stress — ${entry.name}: 0 overlaps, 0 lost updates, 0 stale writes`, async () => {
    const { v, left } = await baseline(entry, false);
    expect(v.ops).toBeGreaterThan(S.processes * S.clients);
    expect(v.overlaps, v.firstOverlap).toBe(0);
    expect(v.lostUpdates).toBe(0);
    expect(v.staleAccepted).toBe(0);
    expect(v.untypedErrors).toBe(0);
    expect(left).toEqual([]);
  });
}

it('1 baseline stress — negative control: a GET-then-SET acquire is caught (overlaps and lost updates)', async () => {
  const { v } = await baseline(
    naiveEntry({ getThenSetAcquire: true, gapMs: 2 }),
    true,
    Math.min(S.durationMs, 5_000),
  );
  expect(v.overlaps).toBeGreaterThan(0);
  expect(v.lostUpdates).toBeGreaterThan(0);
});

it.skipIf(skipped.length === 0)(`skipped strategies: ${skipped.join('; ')}`, () => {});
