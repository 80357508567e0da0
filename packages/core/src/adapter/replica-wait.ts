import type { ReplicaWaitOptions } from './types.js';

/** Rejects WAIT options that would block forever or make no sense, before anything is sent. */
export function assertReplicaWaitOptions(options: ReplicaWaitOptions): void {
  if (!Number.isSafeInteger(options.replicas) || options.replicas < 1) {
    throw new RangeError(`replicas must be a positive integer; received ${options.replicas}.`);
  }
  if (!Number.isSafeInteger(options.timeout) || options.timeout < 1) {
    throw new RangeError(
      `timeout must be a positive integer of ms (WAIT 0 would block forever); received ${options.timeout}.`,
    );
  }
}
