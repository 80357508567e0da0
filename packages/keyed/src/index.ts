export { LockHandle } from '@redis-locks/core';
export {
  createKeyedLock,
  DEFAULT_KEYED_NAMESPACE,
  type KeyedAcquireOptions,
  type KeyedInspectOptions,
  KeyedLock,
  type KeyedLockInfo,
  type KeyedLockOptions,
  type KeyedUsingOptions,
} from './keyed-lock.js';
export { fingerprint, type LogEntry, type Logger } from './logger.js';
export { MAX_VALUE_BYTES } from './value.js';
