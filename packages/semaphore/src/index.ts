export {
  createSemaphore,
  DEFAULT_SEMAPHORE_NAMESPACE,
  type ReplicationOptions,
  Semaphore,
  type SemaphoreKeys,
  type SemaphoreOptions,
} from './semaphore.js';
