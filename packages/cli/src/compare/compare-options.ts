import type { CompareSettings } from './compare-report.js';

/** What a progress callback of {@link runCompare} receives. */
export interface CompareProgress {
  /** The strategy being measured, when the step belongs to one. */
  readonly strategy?: string;
  /** The step. */
  readonly phase: 'redis' | 'workers' | 'contention' | 'handoff' | 'done';
  /** A human-readable line. */
  readonly message: string;
}

/** Options of {@link runCompare}; every setting has a default that keeps a full run well under a minute. */
export interface CompareOptions extends Partial<CompareSettings> {
  /**
   * Redis to use; when neither `url` nor `urls` is given, private redis-servers are started and stopped (as
   * many as the strategy needing the most independent nodes needs: 3 with Redlock).
   */
  readonly url?: string;
  /**
   * Several independent Redis nodes (takes precedence over `url`): single-node strategies use the first,
   * quorum strategies (Redlock) use all of them and need at least their `nodes` (else a UsageError).
   */
  readonly urls?: readonly string[];
  /** Strategies to run, by name; default all registered ones. */
  readonly strategies?: readonly string[];
  /** Aborts the run: workers are killed, the owned Redis is stopped, the promise rejects. */
  readonly signal?: AbortSignal;
  /** Called at every step. */
  readonly onProgress?: (progress: CompareProgress) => void;
  /** Path of the worker module (default: `compare-worker.js` next to this module in `dist`). */
  readonly workerModule?: string;
}

/** Default settings of a compare run. */
export const DEFAULT_COMPARE_SETTINGS: CompareSettings = {
  durationMs: 3000,
  processes: 4,
  concurrency: 4,
  resources: 3,
  holdMaxMs: 1,
  ttlMs: 10_000,
  handoffRounds: 20,
};

/** Fills in defaults; a RangeError names the first setting out of range. */
export function resolveCompareSettings(options: Partial<CompareSettings>): CompareSettings {
  const settings = { ...DEFAULT_COMPARE_SETTINGS };
  const limits: Record<keyof CompareSettings, [number, number]> = {
    durationMs: [100, 600_000],
    processes: [2, 64],
    concurrency: [1, 256],
    resources: [1, 10_000],
    holdMaxMs: [0, 10_000],
    ttlMs: [100, 3_600_000],
    handoffRounds: [1, 10_000],
  };
  for (const key of Object.keys(limits) as (keyof CompareSettings)[]) {
    const value = options[key];
    if (value === undefined) continue;
    const [min, max] = limits[key];
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new RangeError(`${key} must be a number in [${min}, ${max}]; received ${value}`);
    }
    settings[key] = value;
  }
  return settings;
}
