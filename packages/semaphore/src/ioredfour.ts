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
 * Drop-in replacement for ioredfour (1.4.3): same API (promises with optional trailing callbacks,
 * `extendLock`, `minReplications`/`replicationTimeout`, cluster options), results and Redis layout, shared
 * with redfour (in Cluster: hash tag `{ior4_<hash>}` and sharded channel `${namespace}:{ior4_<hash>}-release`).
 * Differences: an unguessable owner token is checked next to the index, WAIT runs only after a successful
 * acquire and on a dedicated connection, a rollback deletes the key, `replicationTimeout: 0` is rejected,
 * waiters never miss a release, and `close()`/`quit()` end the connections it opened.
 */
class Lock extends RedfourBase {
  /** `new Lock({ redis | redisConnection | cluster, namespace = 'lock', minReplications = 0, replicationTimeout = 500 })`. */
  constructor(options: RedfourOptions) {
    super(options, { expiredIndex: 0 });
  }
}

export default Lock;
export type { AcquireResult, Callback, ExtendResult, LockLike, RedfourOptions, ReleaseResult, RenewResult };
