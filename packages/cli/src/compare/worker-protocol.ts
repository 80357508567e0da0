import type { HoldRecord } from '@redis-locks/testing';

/** Connects the worker to Redis and builds the strategy it exercises. */
export interface InitRequest {
  readonly op: 'init';
  /** Registered strategy name. */
  readonly strategy: string;
  /** Redis URLs: one client is built per URL (one per independent node for quorum strategies). */
  readonly urls: readonly string[];
  /** Key prefix of this run. */
  readonly namespace: string;
  /** Index of the worker process, used in owner names (`w2.3` = process 2, loop 3). */
  readonly workerIndex: number;
}

/** Runs `loops` concurrent acquire → hold → release loops on random `resources` between `startAt` and `endAt`. */
export interface ContendRequest {
  readonly op: 'contend';
  /** Hot resources the loops pick from at random. */
  readonly resources: readonly string[];
  /** Concurrent loops in this process. */
  readonly loops: number;
  /** `process.hrtime.bigint()` at which every process starts. */
  readonly startAt: bigint;
  /** `process.hrtime.bigint()` after which no loop starts a new acquisition. */
  readonly endAt: bigint;
  /** Each hold lasts a uniformly random time in [0, holdMaxMs] ms. */
  readonly holdMaxMs: number;
  /** Lock ttl in ms. */
  readonly ttl: number;
  /** Longest wait of one acquire, in ms. */
  readonly waitTimeout: number;
}

/** Acquires `resource` (waiting) and keeps it until a `release` request. */
export interface HoldRequest {
  readonly op: 'hold';
  /** The hand-off resource. */
  readonly resource: string;
  /** Lock ttl in ms. */
  readonly ttl: number;
  /** Longest wait in ms. */
  readonly waitTimeout: number;
}

/**
 * Checks that `resource` is held by someone else (one attempt must fail), emits a `waiting` event, then
 * acquires it (waiting) and keeps it until a `release` request; replies with the moment it held it.
 */
export interface WaitRequest {
  readonly op: 'wait';
  /** The hand-off resource. */
  readonly resource: string;
  /** Lock ttl in ms. */
  readonly ttl: number;
  /** Longest wait in ms. */
  readonly waitTimeout: number;
}

/** Releases the lock held on `resource`; replies with the moment the release started. */
export interface ReleaseRequest {
  readonly op: 'release';
  /** The hand-off resource. */
  readonly resource: string;
}

/** Releases whatever is still held, closes the strategy and the client, replies with the hand-off holds, exits. */
export interface CloseRequest {
  readonly op: 'close';
}

/** Anything the parent asks a worker. */
export type WorkerRequest =
  | InitRequest
  | ContendRequest
  | HoldRequest
  | WaitRequest
  | ReleaseRequest
  | CloseRequest;

/** A request on the wire, numbered so replies find their caller. */
export type NumberedRequest = WorkerRequest & { readonly id: number };

/** What one process measured under contention. */
export interface ContendResult {
  /** Every completed hold, with owners `w<process>.<loop>`. */
  readonly records: HoldRecord[];
  /** Acquisitions per loop, indexed by loop. */
  readonly acquisitionsPerLoop: number[];
  /** Milliseconds from calling acquire to holding, one per acquisition. */
  readonly waitsMs: number[];
  /** Acquisitions that gave up after `waitTimeout`. */
  readonly timeouts: number;
  /** Releases that found the lock expired or owned by someone else (a lost lock). */
  readonly lostReleases: number;
  /** Unexpected errors (Redis errors...). */
  readonly errors: number;
  /** Message of the last unexpected error. */
  readonly lastError?: string;
}

/** Reply of `hold` and `wait`: when the lock was held. */
export interface HeldResult {
  /** `process.hrtime.bigint()` right after acquire resolved. */
  readonly heldAt: bigint;
}

/** Reply of `release`: when the release started. */
export interface ReleasedResult {
  /** `process.hrtime.bigint()` right before release was sent. */
  readonly releaseStartedAt: bigint;
  /** What release reported. */
  readonly outcome: string;
}

/** Reply of `close`: the hand-off holds of this process. */
export interface ClosedResult {
  /** Completed hand-off holds. */
  readonly records: HoldRecord[];
}

/** A reply to request `id`. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly message: string; readonly code?: string };
    };

/** An event about request `id` before its reply (`waiting`: the waiter found the lock held and waits). */
export interface WorkerEvent {
  readonly id: number;
  readonly event: 'waiting';
}

/** Anything a worker sends. */
export type WorkerMessage = WorkerReply | WorkerEvent;
