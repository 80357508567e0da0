import type { Redis } from 'ioredis';
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
  /** Progress on stderr. */
  log(message: string): void;
}
