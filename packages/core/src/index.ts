export {
  type AdapterObserver,
  closeOwnedClient,
  IoredisAdapter,
  type IoredisLike,
  isIoredisClient,
  isNodeRedisClient,
  isRedisAdapter,
  NodeRedisAdapter,
  type NodeRedisLike,
  observeAdapter,
  type RedisAdapter,
  type RedisClientLike,
  type ReplicaWaitOptions,
  type ReplicaWaitResult,
  type ScriptArg,
  type SubscribeOptions,
  toAdapter,
  type Unsubscribe,
} from './adapter/index.js';
export { type ExtendableLock, startAutoExtension } from './auto-extend.js';
export {
  isLockError,
  LockAbortedError,
  LockBusyError,
  LockClosedError,
  LockError,
  type LockErrorCode,
  LockLostError,
  LockQuorumError,
  LockRedisError,
  LockReplicationError,
  LockTimeoutError,
  type NodeVote,
} from './errors.js';
export { escapeHashTag, lockKeyPrefix, unescapeHashTag } from './keys.js';
export { LingeringSubscriptions, type SharedSubscription } from './lingering-subscriptions.js';
export { LockHandle, type LockOwner } from './lock-handle.js';
export type {
  AttemptContext,
  AttemptGranted,
  AttemptRefused,
  AttemptResult,
  ExtendResult,
} from './primitives.js';
export { ReleaseWaiters, type WakeWaiter } from './release-waiters.js';
export { retryDelay } from './retry.js';
export {
  type ReleaseNotification,
  SingleKeyLockCommands,
  type SingleKeyLockKeys,
  type SingleKeyLockState,
  toInteger,
} from './single-key-commands.js';
export {
  type ClientStrategyDefaults,
  type ClientStrategyOptions,
  SingleKeyLockStrategy,
  strategyDefaultsFrom,
} from './single-key-strategy.js';
export {
  DEFAULT_STRATEGY_DEFAULTS,
  LockStrategyBase,
  type StrategyDefaults,
  type Unwatch,
  type WatchGrant,
} from './strategy-base.js';
export { monotonicNow, sleep } from './timers.js';
export { createToken } from './token.js';
export type {
  AcquireOptions,
  Capabilities,
  Lock,
  LockInfo,
  LockStrategy,
  ReleaseResult,
  RetryPolicy,
  UsingOptions,
} from './types.js';
export {
  MAX_RESOURCE_BYTES,
  validateAcquireOptions,
  validateDuration,
  validateNamespace,
  validateObject,
  validateResource,
  validateRetry,
  validateTtl,
} from './validation.js';
