import { OverlapChecker, withClient } from '@redis-locks/testing';
import { expect, it } from 'vitest';
import { freshNamespace, leftoverLocks, startServers } from '../src/harness.js';
import { startWorkers, stopWorkers } from '../src/pool.js';
import { PROFILE, SIZES } from '../src/profile.js';
import { availableStrategies, type StrategyEntry } from '../src/registry.js';
import { report } from '../src/results.js';

// Scenario 6 — kill -9 of every node while A holds locks, then restart; B acquires the same resources.
// A keeps using each resource until its lease ends (expiresAt), so a B hold that starts earlier is a
// double grant. Safe: a restart delayed ≥ ttl without persistence, and an immediate restart with
// `appendonly yes` + `appendfsync always`. Scripts must be reloaded by the NOSCRIPT fallback.
// Control: an immediate restart without persistence must show double grants.
const { run, skipped } = await availableStrategies(6);
const S = SIZES.restart;
const ttl = 2 * SIZES.ttl;

type Variant = 'delayed, no persistence' | 'immediate, AOF always' | 'immediate, no persistence';

interface Held {
  heldAt: bigint;
  expiresHr: bigint;
  fencingToken?: number;
}

async function noscriptErrors(url: string): Promise<number> {
  return withClient(url, async (redis) => {
    const info = (await redis.info('errorstats')) as string;
    return Number(/errorstat_NOSCRIPT:count=(\d+)/.exec(info)?.[1] ?? 0);
  });
}

async function killRestart(entry: StrategyEntry, variant: Variant) {
  const started = Date.now();
  const aof = variant === 'immediate, AOF always';
  const servers = await startServers(entry.nodes, aof ? { appendonly: true, appendfsync: 'always' } : {});
  const urls = servers.map((s) => s.url);
  const namespace = freshNamespace('s6');
  const [a, b] = await startWorkers(2, { strategy: entry.name, urls, namespace });
  const checker = new OverlapChecker();
  const tally = {
    restarts: 0,
    acquisitions: 0,
    reacquiredAfterRestart: 0,
    noscriptFallbacks: 0,
    fenceWentBack: 0,
    errors: [] as string[],
  };
  try {
    // B runs its scripts once before any restart, so after one its EVALSHA meets an empty script cache.
    await b!.request('acquire', { resource: 'warm-up', ttl, waitTimeout: 2000 });
    await b!.request('release', { resource: 'warm-up' });
    for (let round = 0; round < S.rounds; round++) {
      const resources = Array.from({ length: S.resources }, (_, i) => `r${round}.${i}`);
      const aHeld = await Promise.all(
        resources.map((resource) => a!.request<Held>('acquire', { resource, ttl, waitTimeout: 2000 })),
      );
      tally.acquisitions += aHeld.length;
      await Promise.all(servers.map((s) => s.kill()));
      const delayMs = variant === 'delayed, no persistence' ? ttl + 200 : 0;
      await Promise.all(servers.map((s) => s.restart({ delayMs, appendonly: aof })));
      tally.restarts += servers.length;
      const bHeld = await Promise.all(
        resources.map((resource) =>
          b!.request<Held>('acquire', { resource, ttl, waitTimeout: 3 * ttl }).catch((e: Error) => {
            tally.errors.push(e.message.slice(0, 120));
            return undefined;
          }),
        ),
      );
      for (const [i, resource] of resources.entries()) {
        const ah = aHeld[i]!;
        checker.add({ resource, owner: `A${round}`, start: ah.heldAt, end: ah.expiresHr });
        await a!.request('forget', { resource });
        const bh = bHeld[i];
        if (!bh) continue;
        tally.acquisitions++;
        tally.reacquiredAfterRestart++;
        if (
          bh.fencingToken !== undefined &&
          ah.fencingToken !== undefined &&
          bh.fencingToken <= ah.fencingToken
        )
          tally.fenceWentBack++;
        const rel = await b!.request<{ at: bigint }>('release', { resource });
        checker.add({ resource, owner: `B${round}`, start: bh.heldAt, end: rel.at });
      }
      for (const s of servers) tally.noscriptFallbacks += await noscriptErrors(s.url);
    }
    const overlaps = checker.overlaps().length;
    const left = await leftoverLocks(urls, namespace);
    const control = variant === 'immediate, no persistence';
    report({
      scenario: '6-kill-restart',
      strategy: `${entry.name}, ${variant}`,
      profile: PROFILE,
      operations: tally.acquisitions,
      faults: tally.restarts,
      violations: overlaps + (control ? 0 : tally.errors.length),
      control,
      durationMs: Date.now() - started,
      details: { ...tally, errors: tally.errors.slice(0, 2), overlaps, leftoverLocks: left.length },
    });
    return { tally, overlaps, left };
  } finally {
    await stopWorkers([a!, b!]);
    await Promise.all(servers.map((s) => s.stop()));
  }
}

for (const entry of run) {
  // The smoke profile runs one variant (the AOF one, which also checks that fencing survives).
  const variants =
    PROFILE === 'smoke'
      ? (['immediate, AOF always'] as const)
      : (['delayed, no persistence', 'immediate, AOF always'] as const);
  for (const variant of variants) {
    it(`6 kill -9 and restart — ${entry.name}, ${variant}: no double grant, scripts reloaded`, async () => {
      const { tally, overlaps, left } = await killRestart(entry, variant);
      expect(tally.errors).toEqual([]);
      expect(overlaps).toBe(0);
      expect(tally.reacquiredAfterRestart).toBe(S.rounds * S.resources);
      expect(tally.noscriptFallbacks).toBeGreaterThan(0); // EVALSHA met an empty script cache and fell back
      if (variant === 'immediate, AOF always') expect(tally.fenceWentBack).toBe(0);
      expect(left).toEqual([]);
    });
  }
}

it('6 kill -9 and restart — negative control: an immediate restart without persistence double-grants', async () => {
  const { overlaps } = await killRestart(run[0]!, 'immediate, no persistence');
  expect(overlaps).toBeGreaterThan(0);
});

it.skipIf(skipped.length === 0)(`skipped: ${skipped.join('; ')}`, () => {});
