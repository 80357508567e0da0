import type { RoundTripCounter } from '../round-trip-counter.js';

/** Which Redis client a subject runs on. */
export type ClientKind = 'ioredis' | 'node-redis';

/** Acquire and release latencies of each cycle (µs), for subjects that time the two halves separately. */
export interface CyclePhases {
  /** Acquire latency of each cycle, µs. */
  readonly acquireUs: number[];
  /** Release latency of each cycle, µs. */
  readonly releaseUs: number[];
}

/** A lock implementation opened for measuring: one acquire+release cycle at a time per resource. */
export interface OpenSubject {
  /** Acquires `resource` (uncontended) and releases it; rejects if either fails. */
  cycle(resource: string): Promise<void>;
  /** Counts the client's requests to Redis. */
  readonly roundTrips: RoundTripCounter;
  /** Filled by subjects that time acquire and release separately (emptied at the start of every measured run). */
  readonly phases?: CyclePhases;
  /** Closes what `open` created. */
  close(): Promise<void>;
}

/** Something the benchmark measures: the raw floor, one of our strategies, or a peer library. */
export interface BenchSubject {
  /** Short name for tables (`floor`, `optimistic`, `node-redis-warlock 1.0.2`). */
  readonly name: string;
  /** The client it runs on; ratios compare with the floor on the same client. */
  readonly client: ClientKind;
  /** True for the raw-client floor the others are compared with. */
  readonly isFloor?: boolean;
  /** Connects to `url` and prepares (e.g. loads scripts). */
  open(url: string): Promise<OpenSubject>;
}
