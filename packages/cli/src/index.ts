export type { CliContext } from './cli-context.js';
export {
  type CompareOptions,
  type CompareProgress,
  DEFAULT_COMPARE_SETTINGS,
} from './compare/compare-options.js';
export type {
  CompareReport,
  CompareSettings,
  LatencyDistribution,
  LatencySummary,
  OverlapExample,
  OverlapHold,
  StrategyComparison,
} from './compare/compare-report.js';
export { renderCompareReport } from './compare/render-compare.js';
export { renderCompareHtml } from './compare/render-compare-html.js';
export { runCompare } from './compare/run-compare.js';
export { jainFairness, percentile } from './compare/statistics.js';
export { EXIT_CODES, type ExitCode } from './exit-codes.js';
export {
  type FindTargetOptions,
  type ForceReleaseTarget,
  findForceReleaseTarget,
  forceRelease,
} from './locks/force-release.js';
export {
  type HeldLock,
  type InspectOptions,
  inspectLocks,
  type LockLookupOptions,
  type NodesHeld,
} from './locks/inspect-locks.js';
export { createProgram, type RunCliOptions, runCli } from './program.js';
export {
  createHashTagLayout,
  type HashTagLayoutOptions,
  hashTagLayout,
} from './strategies/hash-tag-layout.js';
export {
  checkNodeCount,
  defaultStrategies,
  findStrategy,
  REDLOCK_NODES,
  STRATEGIES,
  selectStrategies,
  strategyNames,
} from './strategies/registry.js';
export { semaphoreLayout } from './strategies/semaphore-layout.js';
export type {
  ForcedReleaseOutcome,
  KeyLayout,
  LockLocation,
  StrategyContext,
  StrategyEntry,
} from './strategies/strategy-entry.js';
export { UnsafeGetSetLock } from './strategies/unsafe-get-set-lock.js';
export { UsageError } from './usage-error.js';
