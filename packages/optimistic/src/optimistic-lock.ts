import {
  type ClientStrategyOptions,
  DEFAULT_STRATEGY_DEFAULTS,
  SingleKeyLockStrategy,
} from '@redis-locks/core';

/** Options of {@link createOptimisticLock}: `client`, `namespace`, `retry`, `waitTimeout`. */
export type OptimisticLockOptions = ClientStrategyOptions;

/** Default key prefix of optimistic locks. */
export const DEFAULT_OPTIMISTIC_NAMESPACE = 'redis-locks:optimistic';

/** `SET NX PX` locks with compare-and-delete release, fencing tokens, and polling retries with jitter. */
export class OptimisticLock extends SingleKeyLockStrategy {
  readonly name = 'optimistic';
  readonly capabilities = {
    fencing: true,
    wakeup: 'poll',
    multiNode: false,
    replicationCheck: false,
    fair: false,
  } as const;

  constructor(options: OptimisticLockOptions) {
    super(options, {
      namespace: DEFAULT_OPTIMISTIC_NAMESPACE,
      waitTimeout: DEFAULT_STRATEGY_DEFAULTS.waitTimeout,
    });
  }
}

/** Creates an optimistic lock strategy: cheapest per attempt, waiters poll with jitter. */
export function createOptimisticLock(options: OptimisticLockOptions): OptimisticLock {
  return new OptimisticLock(options);
}
