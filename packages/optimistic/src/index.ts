export {
  createOptimisticLock,
  DEFAULT_OPTIMISTIC_NAMESPACE,
  OptimisticLock,
  type OptimisticLockOptions,
} from './optimistic-lock.js';
