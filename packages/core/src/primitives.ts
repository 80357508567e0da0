import type { LockInfo, ReleaseResult } from './types.js';

/** One acquisition attempt that won the lock. */
export interface AttemptGranted {
  readonly acquired: true;
  /** Fencing token issued by the acquiring script. */
  readonly fencingToken?: number;
  /** Milliseconds of validity from the start of the attempt; defaults to the ttl (quorum strategies subtract drift). */
  readonly validity?: number;
}

/** One acquisition attempt that found the lock held. */
export interface AttemptRefused {
  readonly acquired: false;
  /** The holder's remaining ttl in ms, when known: the latest moment worth re-checking. */
  readonly retryAfter?: number;
  /** Why the attempt failed, when that is more than contention (e.g. per-node votes): the timeout's `cause`. */
  readonly reason?: unknown;
}

/** What one primitive acquisition attempt found. */
export type AttemptResult = AttemptGranted | AttemptRefused;

/** What one primitive extension found. */
export type ExtendResult =
  | { readonly extended: true; readonly validity?: number }
  | { readonly extended: false; readonly reason: 'expired' | 'not-owner' };

/** Context of one attempt. */
export interface AttemptContext {
  /** 1 for the first attempt of an acquire call. */
  readonly attempt: number;
  /** True when the caller will wait if this attempt fails. */
  readonly willWait: boolean;
  /** The options the caller passed (strategies may read their own extra fields). */
  readonly options: Readonly<Record<string, unknown>>;
}

export type { LockInfo, ReleaseResult };
