import type { Redis } from 'ioredis';
import type { ContendedSubject } from '../contended/contended-subject.js';
import type { BenchWorker } from '../worker/worker-pool.js';

/** What every scenario gets from `main`. */
export interface ScenarioContext {
  /** URL of the bench's own redis-server. */
  readonly url: string;
  /** Admin connection to it (INFO, CONFIG RESETSTAT). */
  readonly admin: Redis;
  /** Forked worker processes, started once and reused by every scenario. */
  readonly workers: readonly BenchWorker[];
  /** Repetitions of every point. */
  readonly repeats: number;
  /** Shorter runs (`--quick`). */
  readonly quick: boolean;
  /** Subjects of the contended scenarios (hand-off, K contenders): all, or those `--subjects` picked plus the floor. */
  readonly contendedSubjects: readonly ContendedSubject[];
  /** Progress on stderr. */
  log(message: string): void;
}
