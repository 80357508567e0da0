import { FencedResource, OverlapChecker } from '@redis-locks/testing';
import { expect, it } from 'vitest';
import {
  freshNamespace,
  hr,
  leftoverLocks,
  rand,
  sleep,
  startServers,
  UnfencedResource,
} from '../src/harness.js';
import { startWorkers, stopWorkers, type Worker } from '../src/pool.js';
import { PROFILE, SIZES } from '../src/profile.js';
import { availableStrategies, type StrategyEntry } from '../src/registry.js';
import { report } from '../src/results.js';

// Scenario 2 — a holder SIGSTOPped 1.5–3× ttl between acquire and write. With fencing the shared resource
// accepts no stale write, and on resume the old holder's release says 'not-owner' and deletes nothing.
// Control (same strategy): the resource does not check tokens, so the late write is caught as an overlap
// and a stale write.
const { run, skipped } = await availableStrategies(2);
const S = SIZES.pause;
const ttl = SIZES.ttl;

interface Held {
  heldAt: bigint;
  expiresHr: bigint;
  fencingToken: number;
}

async function pausedHolder(entry: StrategyEntry, fenced: boolean, pauses: number) {
  const started = Date.now();
  const servers = await startServers(entry.nodes);
  const urls = servers.map((s) => s.url);
  const namespace = freshNamespace('s2');
  const workers = await startWorkers(S.pairs * 2, { strategy: entry.name, urls, namespace });
  const resource = fenced ? new FencedResource() : new UnfencedResource();
  for (const w of workers) w.onFence = (key, token, owner) => resource.write(key, token, owner);
  const checker = new OverlapChecker();
  const tally = {
    pauses: 0,
    aReleaseNotOwner: 0,
    bKeyDeleted: 0,
    lateWritesRejected: 0,
    otherRelease: [] as string[],
  };
  let next = 0;
  const pair = async (a: Worker, b: Worker) => {
    while (next < pauses) {
      const round = next++;
      const r = `r${round}`;
      const held = await a.request<Held>('acquire', { resource: r, ttl, waitTimeout: 5000 });
      const pauseMs = Math.round(rand(1.5, 3) * ttl);
      const pausedAt = Date.now();
      a.pause();
      tally.pauses++;
      try {
        const bHeld = await b.request<Held>('acquire', {
          resource: r,
          ttl: pauseMs + 5000,
          waitTimeout: pauseMs + 3000,
        });
        const bWrite = await b.request<{ accepted: boolean }>('write', { resource: r, fenced });
        expect(bWrite.accepted).toBe(true);
        await sleep(Math.max(0, pausedAt + pauseMs - Date.now()));
        a.resume();
        const aWrite = await a.request<{ accepted: boolean; at: bigint }>('write', { resource: r, fenced });
        if (!aWrite.accepted) tally.lateWritesRejected++;
        // The resource's view: A used it until its write was accepted, else until its lease ran out.
        checker.add({
          resource: r,
          owner: `A${round}`,
          start: held.heldAt,
          end: aWrite.accepted ? aWrite.at : held.expiresHr,
        });
        const aRelease = await a.request<{ result: string }>('release', { resource: r });
        if (aRelease.result === 'not-owner') tally.aReleaseNotOwner++;
        else tally.otherRelease.push(aRelease.result);
        const bRelease = await b.request<{ result: string; at: bigint }>('release', { resource: r });
        if (bRelease.result !== 'released') tally.bKeyDeleted++;
        checker.add({ resource: r, owner: `B${round}`, start: bHeld.heldAt, end: bRelease.at });
      } finally {
        a.resume();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: S.pairs }, (_, p) => pair(workers[2 * p]!, workers[2 * p + 1]!)));
    const overlaps = checker.overlaps().length;
    const stale = resource.staleAcceptedCount();
    const left = await leftoverLocks(urls, namespace);
    const violations = overlaps + stale + tally.bKeyDeleted + (tally.pauses - tally.aReleaseNotOwner);
    report({
      scenario: '2-paused-holder',
      strategy: fenced ? entry.name : `${entry.name}, unfenced writes`,
      profile: PROFILE,
      operations: tally.pauses * 2,
      faults: tally.pauses,
      violations: fenced ? violations : overlaps + stale,
      control: !fenced,
      durationMs: Date.now() - started,
      details: { ...tally, overlaps, staleAccepted: stale, leftoverLocks: left.length },
    });
    return { tally, overlaps, stale, left };
  } finally {
    await stopWorkers(workers);
    await Promise.all(servers.map((s) => s.stop()));
  }
}

for (const entry of run) {
  it(`2 paused holder — ${entry.name}: 0 stale writes accepted, release says not-owner and deletes nothing`, async () => {
    const { tally, overlaps, stale, left } = await pausedHolder(entry, true, S.pauses);
    expect(tally.pauses).toBe(S.pauses);
    expect(stale).toBe(0);
    expect(overlaps).toBe(0);
    expect(tally.lateWritesRejected).toBe(S.pauses);
    expect(tally.otherRelease).toEqual([]);
    expect(tally.aReleaseNotOwner).toBe(S.pauses);
    expect(tally.bKeyDeleted).toBe(0);
    expect(left).toEqual([]);
  });

  it(`2 paused holder — ${entry.name}, negative control: unfenced late writes are caught as overlaps and stale writes`, async () => {
    const n = Math.max(1, Math.round(S.pauses / 10));
    const { overlaps, stale } = await pausedHolder(entry, false, n);
    expect(overlaps).toBe(n);
    expect(stale).toBe(n);
  });
}

it.skipIf(skipped.length === 0)(`skipped: ${skipped.join('; ')}`, () => {});
void hr;
