import type { HoldRecord } from '@redis-locks/testing';

/** Opens subject `subject` (by registry name) in the worker. */
export interface OpenRequest {
  readonly op: 'open';
  readonly subject: string;
  readonly urls: readonly string[];
  readonly ttlMs: number;
}

/** Acquires `resource` (waiting) and keeps it until a `release` request. */
export interface HoldRequest {
  readonly op: 'hold';
  readonly resource: string;
  readonly waitTimeoutMs: number;
}

/** Checks with one attempt that `resource` is held, emits `waiting`, then acquires it (waiting) and keeps it. */
export interface WaitRequest {
  readonly op: 'wait';
  readonly resource: string;
  readonly waitTimeoutMs: number;
}

/** Releases the lock this worker holds on `resource`. */
export interface ReleaseRequest {
  readonly op: 'release';
  readonly resource: string;
}

/** Runs `loops` acquire → hold → release → think loops on `resource` between `startAt` and `endAt`. */
export interface ContendRequest {
  readonly op: 'contend';
  readonly resource: string;
  readonly loops: number;
  /** Owner names are `${ownerPrefix}.${loop}`. */
  readonly ownerPrefix: string;
  readonly startAt: bigint;
  readonly endAt: bigint;
  /** Hold time in ms; 0 = yield to the event loop once. */
  readonly holdMs: number;
  /** Think time after a release: uniformly random in [0, thinkMaxMs] ms. */
  readonly thinkMaxMs: number;
  readonly waitTimeoutMs: number;
}

/** Closes the subject opened last. */
export interface CloseRequest {
  readonly op: 'close';
}

/** Anything the parent asks a bench worker. */
export type WorkerRequest =
  | OpenRequest
  | HoldRequest
  | WaitRequest
  | ReleaseRequest
  | ContendRequest
  | CloseRequest;

/** Reply of `hold` and `wait`. */
export interface HeldReply {
  /** `process.hrtime.bigint()` right after acquire resolved. */
  readonly heldAt: bigint;
  /** Release notifications this process received while the call waited (`wait` only). */
  readonly notifications: bigint[];
  /** Whether the subject exposes its notifications at all. */
  readonly observable: boolean;
}

/** Reply of `release`. */
export interface ReleasedReply {
  /** `process.hrtime.bigint()` right before release was called. */
  readonly releaseStartedAt: bigint;
  /** False when the lock had been lost before the release. */
  readonly released: boolean;
}

/** Reply of `contend`: what one process measured. */
export interface ContendReply {
  /** Every completed hold. */
  readonly records: HoldRecord[];
  /** Acquisitions per loop that started holding before `endAt`. */
  readonly acquisitionsPerLoop: number[];
  /** Acquisitions in total, including those that completed after `endAt` (the drain). */
  readonly acquisitionsTotal: number;
  /** µs from calling acquire to holding, per acquisition before `endAt`. */
  readonly waitsUs: number[];
  /** Acquire attempts sent, as `process.hrtime.bigint()` (our strategies only; empty otherwise). */
  readonly attempts: bigint[];
  /** Whether `attempts` is observable for this subject. */
  readonly attemptsObservable: boolean;
  /** Loops still waiting in an acquire that cannot be cancelled (a peer) 1 s after the window ended; abandoned. */
  readonly stuckAfterWindow: number;
  /** Acquires that gave up. */
  readonly timeouts: number;
  /** Releases that found the lock lost. */
  readonly lostReleases: number;
  /** Other errors. */
  readonly errors: number;
  /** Message of the last error. */
  readonly lastError?: string;
}

/** A request on the wire. */
export type NumberedRequest = WorkerRequest & { readonly id: number };

/** Anything a worker sends: a reply, or the `waiting` event of a `wait` request. */
export type WorkerMessage =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string }
  | { readonly id: number; readonly event: 'waiting' };
