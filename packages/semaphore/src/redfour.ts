import {
  type AcquireResult,
  type Callback,
  type ExtendResult,
  type LockLike,
  RedfourBase,
  type RedfourOptions,
  type ReleaseResult,
  type RenewResult,
} from './compat/redfour-base.js';

/**
 * Drop-in replacement for redfour (1.0.5, plus 2.x's promises, `immediate` and `renewLock`): same API,
 * results and Redis layout (`${namespace}:${id}` hash with `index`, counter `${namespace}index`, channel
 * `${namespace}-release`), so processes running the original and this module exclude each other.
 * Differences: an unguessable owner token is stored and checked next to the index, a conflict does not
 * reveal the holder's index, waiters subscribe before their first attempt and only the released lock's
 * waiters wake, a missed message costs at most `fallbackInterval`, and `close()`/`quit()` end the connections.
 */
class Lock extends RedfourBase {
  /** `new Lock({ redis, namespace = 'lock' })`; `redis` is a URL, ioredis options, or a connected client. */
  constructor(options: RedfourOptions) {
    super(options, { expiredIndex: 'expired' });
  }
}

export default Lock;
export type { AcquireResult, Callback, ExtendResult, LockLike, RedfourOptions, ReleaseResult, RenewResult };
