import { type ChaosProxy, createChaosProxy, pubsubChannels, withClient } from '@redis-locks/testing';
import { expect, it } from 'vitest';
import {
  freshNamespace,
  leftoverLocks,
  rand,
  shareFence,
  sleep,
  startServers,
  stress,
} from '../src/harness.js';
import { startWorkers, stopWorkers } from '../src/pool.js';
import { PROFILE, SIZES } from '../src/profile.js';
import { availableStrategies, type StrategyEntry } from '../src/registry.js';
import { report } from '../src/results.js';
import { DEBUG_ARGS, STALL_KINDS, stall } from '../src/stalls.js';

// Scenario 8 — soak (`pnpm test:soak`, not in CI): FAULTS_SOAK_MINUTES (default 30) of stress load, split
// over the strategies, with a random fault every FAULTS_SOAK_FAULT_EVERY_MS (default 30 s): a stall
// (SIGSTOP, DEBUG SLEEP, CLIENT PAUSE), kill -9 + immediate restart (AOF always), or a reset of every
// connection at the chaos proxy. All checkers stay clean; worker heap and server connection counts stay
// flat; no lock keys or subscriptions are left.
const { run, skipped } = await availableStrategies(8);
const S = SIZES.soak;
const FAULTS = [...STALL_KINDS, 'kill-restart', 'proxy-reset'] as const;

async function connectedClients(url: string): Promise<number> {
  return withClient(url, async (redis) => {
    const info = (await redis.info('clients')) as string;
    return Number(/connected_clients:(\d+)/.exec(info)?.[1] ?? 0) - 1; // minus this probe
  });
}

async function soak(entry: StrategyEntry, minutes: number) {
  const started = Date.now();
  const servers = await startServers(entry.nodes, {
    appendonly: true,
    appendfsync: 'always',
    args: DEBUG_ARGS,
  });
  const proxies: ChaosProxy[] = await Promise.all(servers.map((s) => createChaosProxy(s)));
  const urls = servers.map((s) => s.url);
  const namespace = freshNamespace('soak');
  const workers = await startWorkers(4, {
    strategy: entry.name,
    urls: proxies.map((p) => p.url),
    namespace,
    instances: 4,
    commandTimeout: 500,
  });
  const { fenced } = shareFence(workers);
  const totals = {
    ops: 0,
    overlaps: 0,
    lostUpdates: 0,
    staleAccepted: 0,
    untypedErrors: 0,
    faults: [] as string[],
  };
  const heaps: number[] = [];
  const connections: number[] = [];
  try {
    const deadline = started + minutes * 60_000;
    while (Date.now() < deadline) {
      const chunk = Math.min(S.faultEveryMs, Math.max(5_000, deadline - Date.now()));
      const load = stress(
        workers,
        urls[0]!,
        {
          resources: ['a', 'b', 'c', 'd', 'e', 'f'],
          durationMs: chunk,
          holdMaxMs: 20,
          ttl: 1000,
          waitTimeout: 2000,
        },
        fenced,
      );
      await sleep(rand(0.2, 0.5) * chunk);
      const fault = FAULTS[Math.floor(Math.random() * FAULTS.length)]!;
      totals.faults.push(fault);
      const ms = Math.round(rand(1000, 3000));
      if (fault === 'kill-restart') {
        await Promise.all(servers.map((s) => s.kill()));
        await Promise.all(servers.map((s) => s.restart({ delayMs: 0, appendonly: true })));
      } else if (fault === 'proxy-reset') {
        for (const p of proxies) p.resetAll();
      } else {
        await stall(servers, fault, ms);
      }
      const v = await load;
      totals.ops += v.ops;
      totals.overlaps += v.overlaps;
      totals.lostUpdates += v.lostUpdates;
      totals.untypedErrors += v.untypedErrors;
      totals.staleAccepted = v.staleAccepted; // cumulative on the shared resource
      heaps.push(Math.max(...v.replies.map((r) => r.heapUsed)));
      connections.push(await connectedClients(urls[0]!));
    }
    const firstHeap = heaps[0] ?? 0;
    const lastHeap = heaps[heaps.length - 1] ?? 0;
    const heapStable = lastHeap <= firstHeap * 2 + 32 * 1024 * 1024;
    const connectionsStable = connections.every((c) => Math.abs(c - connections[0]!) <= 2);
    await stopWorkers(workers);
    const left = await leftoverLocks(urls, namespace);
    const channels = (await Promise.all(urls.map((u) => pubsubChannels(u)))).flat();
    const violations =
      totals.overlaps +
      totals.lostUpdates +
      totals.staleAccepted +
      totals.untypedErrors +
      left.length +
      channels.length;
    report({
      scenario: '8-soak',
      strategy: entry.name,
      profile: PROFILE,
      operations: totals.ops,
      faults: totals.faults.length,
      violations: violations + (heapStable ? 0 : 1) + (connectionsStable ? 0 : 1),
      control: false,
      durationMs: Date.now() - started,
      details: {
        ...totals,
        faults: Object.fromEntries(FAULTS.map((f) => [f, totals.faults.filter((x) => x === f).length])),
        heapMB: heaps.map((h) => Math.round(h / 1e6)),
        connections,
        leftoverLocks: left.length,
        channels: channels.length,
      },
    });
    return { totals, heapStable, connectionsStable, left, channels };
  } finally {
    await stopWorkers(workers);
    await Promise.all(proxies.map((p) => p.close()));
    await Promise.all(servers.map((s) => s.stop()));
  }
}

for (const entry of run) {
  it(`8 soak — ${entry.name}: random faults, checkers clean, heap and connections flat, nothing left`, async () => {
    const { totals, heapStable, connectionsStable, left, channels } = await soak(
      entry,
      S.minutes / run.length,
    );
    expect(totals.faults.length).toBeGreaterThan(0);
    expect(totals.overlaps).toBe(0);
    expect(totals.lostUpdates).toBe(0);
    expect(totals.staleAccepted).toBe(0);
    expect(totals.untypedErrors).toBe(0);
    expect(heapStable).toBe(true);
    expect(connectionsStable).toBe(true);
    expect(left).toEqual([]);
    expect(channels).toEqual([]);
  });
}

it.skipIf(skipped.length === 0)(`skipped: ${skipped.join('; ')}`, () => {});
void PROFILE;
