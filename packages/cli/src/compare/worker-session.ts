import type { Lock, LockStrategy } from '@redis-locks/core';
import type { HoldRecord } from '@redis-locks/testing';
import { Redis } from 'ioredis';
import { findStrategy } from '../strategies/registry.js';
import type { StrategyEntry } from '../strategies/strategy-entry.js';
import { contend } from './contention.js';
import type {
  ClosedResult,
  ContendResult,
  HeldResult,
  HoldRequest,
  InitRequest,
  ReleasedResult,
  ReleaseRequest,
  WaitRequest,
  WorkerRequest,
} from './worker-protocol.js';

interface HeldLock {
  readonly lock: Lock;
  readonly heldAt: bigint;
}

/** The state of one compare worker process: its client, its strategy instance, and the hand-off locks it holds. */
export class WorkerSession {
  private clients: Redis[] = [];
  private strategy: LockStrategy | undefined;
  private entry: StrategyEntry | undefined;
  private workerIndex = 0;
  private readonly held = new Map<string, HeldLock>();
  private readonly handoffRecords: HoldRecord[] = [];

  /** Runs one request; `onWaiting` is called when a `wait` request found the lock held and starts waiting. */
  async handle(request: WorkerRequest, onWaiting: () => void): Promise<unknown> {
    switch (request.op) {
      case 'init':
        return this.init(request);
      case 'contend':
        return this.contend(request);
      case 'hold':
        return this.hold(request);
      case 'wait':
        return this.wait(request, onWaiting);
      case 'release':
        return this.release(request);
      case 'close':
        return this.close();
    }
  }

  private async init(request: InitRequest): Promise<null> {
    this.entry = findStrategy(request.strategy);
    this.workerIndex = request.workerIndex;
    this.clients = request.urls.map((url) => {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
      client.on('error', () => {
        // surfaced through the failing command
      });
      return client;
    });
    await Promise.all(this.clients.map((client) => client.connect()));
    this.strategy = this.entry.create({ clients: this.clients, namespace: request.namespace });
    return null;
  }

  private requireStrategy(): LockStrategy {
    if (!this.strategy) throw new Error('worker was not initialised');
    return this.strategy;
  }

  private contend(request: Parameters<typeof contend>[1]): Promise<ContendResult> {
    return contend(this.requireStrategy(), request, this.workerIndex, this.entry?.waitRetry);
  }

  private async acquireHeld(request: HoldRequest | WaitRequest): Promise<HeldResult> {
    const lock = await this.requireStrategy().acquire(request.resource, {
      ttl: request.ttl,
      waitTimeout: request.waitTimeout,
      ...(this.entry?.waitRetry ? { retry: this.entry.waitRetry } : {}),
    });
    const heldAt = process.hrtime.bigint();
    this.held.set(request.resource, { lock, heldAt });
    return { heldAt };
  }

  private hold(request: HoldRequest): Promise<HeldResult> {
    return this.acquireHeld(request);
  }

  private async wait(request: WaitRequest, onWaiting: () => void): Promise<HeldResult> {
    const probe = await this.requireStrategy().tryAcquire(request.resource, { ttl: request.ttl });
    if (probe) {
      await probe.release();
      throw new Error(`hand-off resource ${request.resource} was free: the holder does not hold it`);
    }
    const pending = this.acquireHeld(request);
    onWaiting();
    return pending;
  }

  private async release(request: ReleaseRequest): Promise<ReleasedResult> {
    const entry = this.held.get(request.resource);
    if (!entry) throw new Error(`release: this worker holds no lock on ${request.resource}`);
    this.held.delete(request.resource);
    const releaseStartedAt = process.hrtime.bigint();
    this.handoffRecords.push({
      resource: request.resource,
      owner: `w${this.workerIndex}.handoff`,
      start: entry.heldAt,
      end: releaseStartedAt,
    });
    const outcome = await entry.lock.release();
    return { releaseStartedAt, outcome };
  }

  private async close(): Promise<ClosedResult> {
    for (const [resource, entry] of this.held) {
      const end = process.hrtime.bigint();
      this.handoffRecords.push({ resource, owner: `w${this.workerIndex}.handoff`, start: entry.heldAt, end });
      await entry.lock.release().catch(() => undefined);
    }
    this.held.clear();
    await this.strategy?.close();
    for (const client of this.clients) client.disconnect();
    return { records: this.handoffRecords };
  }
}
