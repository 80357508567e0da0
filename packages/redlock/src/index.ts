export {
  createRedlock,
  DEFAULT_REDLOCK_NAMESPACE,
  DEFAULT_REQUEST_TIMEOUT,
  Redlock,
  type RedlockOptions,
  redlockDrift,
} from './redlock.js';
