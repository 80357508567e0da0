import type { Capabilities } from '@redis-locks/core';

/** Percentiles of a latency sample, in milliseconds (`null` when there were no samples). */
export interface LatencySummary {
  /** Number of samples. */
  readonly samples: number;
  /** Median. */
  readonly p50Ms: number | null;
  /** 99th percentile. */
  readonly p99Ms: number | null;
  /** Largest sample. */
  readonly maxMs: number | null;
}

/** A latency summary with every sample, for distributions (charts, ECDFs). */
export interface LatencyDistribution extends LatencySummary {
  /** Every sample in ms, in the order measured, rounded to µs. */
  readonly samplesMs: number[];
}

/** One hold of an overlapping pair, times in ms relative to the start of the strategy's run. */
export interface OverlapHold {
  /** `w<process>.<loop>` or `w<process>.handoff`. */
  readonly owner: string;
  /** Start of the hold. */
  readonly startMs: number;
  /** End of the hold. */
  readonly endMs: number;
}

/** Two holds of one resource that intersect in time: a double grant. */
export interface OverlapExample {
  /** The resource both held. */
  readonly resource: string;
  /** The hold that started first. */
  readonly a: OverlapHold;
  /** The hold that started while `a` was held. */
  readonly b: OverlapHold;
}

/** What `compare` measured for one strategy. */
export interface StrategyComparison {
  /** Strategy name. */
  readonly name: string;
  /** The guarantee it gives, in one sentence. */
  readonly guarantee: string;
  /** Independent Redis nodes it ran on (1 for single-node strategies). */
  readonly nodes: number;
  /** Its capabilities, as the strategy reports them. */
  readonly capabilities: Capabilities | null;
  /** `ok`, or `failed` when the run could not complete (see `error`). */
  readonly status: 'ok' | 'failed';
  /** Why the run failed. */
  readonly error?: string;
  /** Holds completed by all contenders during the contention phase. */
  readonly acquisitions: number;
  /** Length of the contention phase in ms. */
  readonly elapsedMs: number;
  /** `acquisitions` per second of the contention phase. */
  readonly acquisitionsPerSecond: number;
  /** Time from calling acquire to holding, under contention. */
  readonly wait: LatencySummary;
  /** Hand-off: holder starts release → waiter (another process) holds; one sample per round. */
  readonly handoff: LatencyDistribution;
  /** Jain's fairness index of acquisitions (1 = equal shares, 1/n = one contender got all). */
  readonly fairness: {
    /** Over every contender (process × loop). */
    readonly contenders: number | null;
    /** Over worker processes. */
    readonly processes: number | null;
    /** Acquisitions of each contender, process-major. */
    readonly acquisitionsPerContender: number[];
  };
  /** Acquires that gave up after their wait timeout. */
  readonly timeouts: number;
  /** Releases that found the lock expired or owned by another: a lost lock. */
  readonly lostReleases: number;
  /** Unexpected errors in the workers. */
  readonly errors: number;
  /** Message of the last unexpected error. */
  readonly lastError?: string;
  /** Overlapping holds found by the overlap checker over every process's history: must be 0. */
  readonly overlaps: number;
  /** The first few overlaps, for diagnosis. */
  readonly overlapExamples: OverlapExample[];
}

/** The parameters a compare run used. */
export interface CompareSettings {
  /** Contention phase per strategy, in ms. */
  readonly durationMs: number;
  /** Worker processes. */
  readonly processes: number;
  /** Concurrent acquire loops per process. */
  readonly concurrency: number;
  /** Hot resources the loops pick from. */
  readonly resources: number;
  /** Holds last a uniformly random time in [0, holdMaxMs] ms. */
  readonly holdMaxMs: number;
  /** Lock ttl in ms. */
  readonly ttlMs: number;
  /** Hand-off rounds. */
  readonly handoffRounds: number;
}

/** The result of `redis-locks compare` (what `--json` prints). */
export interface CompareReport {
  /** Version of this JSON shape. */
  readonly schemaVersion: 1;
  /** When the run started (ISO 8601). */
  readonly startedAt: string;
  /** Wall time of the whole run, in ms. */
  readonly wallTimeMs: number;
  /** The Redis used. */
  readonly redis: {
    /** URL of the first node (the one single-node strategies use), password redacted. */
    readonly url: string;
    /** Every node used, passwords redacted (quorum strategies use all of them). */
    readonly urls: string[];
    /** True when compare started (and stopped) these servers itself. */
    readonly owned: boolean;
    /** `redis_version` from INFO of the first node. */
    readonly version: string | null;
  };
  /** Parameters of the run. */
  readonly settings: CompareSettings;
  /** One entry per strategy, in run order. */
  readonly strategies: StrategyComparison[];
  /** Sum of `overlaps` over all strategies. */
  readonly totalOverlaps: number;
  /** True when every strategy ran and none had an overlap. */
  readonly ok: boolean;
  /** Absolute path of the HTML report, when `redis-locks compare --html <file>` wrote one. */
  readonly htmlReport?: string;
}
