import type { Lock, ReleaseResult } from './types.js';

/** Operations a handle delegates to the strategy that created it. */
export interface LockOwner {
  extend(lock: Lock, ttl: number): Promise<Lock>;
  release(lock: Lock): Promise<ReleaseResult>;
}

/** The Lock returned by every strategy; its state is managed by the strategy base class. */
export class LockHandle implements Lock {
  readonly resource: string;
  readonly token: string;
  readonly fencingToken?: number;
  /** @internal aborted on release or loss; exposed read-only as `signal`. */
  readonly controller = new AbortController();
  /** @internal */
  expiresAtValue: number;
  /** @internal the settled-or-pending release, so release is idempotent. */
  releasing: Promise<ReleaseResult> | undefined;
  /** @internal an extension in flight; release waits for it. */
  extending: Promise<unknown> | undefined;
  /** @internal stops auto-extension, when running. */
  stopAutoExtension: (() => void) | undefined;

  /** Private (#) so inspection and test printers never reach into the strategy. */
  readonly #owner: LockOwner;

  constructor(
    owner: LockOwner,
    fields: { resource: string; token: string; fencingToken?: number; expiresAt: number },
  ) {
    this.#owner = owner;
    this.resource = fields.resource;
    this.token = fields.token;
    if (fields.fencingToken !== undefined) this.fencingToken = fields.fencingToken;
    this.expiresAtValue = fields.expiresAt;
  }

  get expiresAt(): number {
    return this.expiresAtValue;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  extend(ttl: number): Promise<Lock> {
    return this.#owner.extend(this, ttl);
  }

  release(): Promise<ReleaseResult> {
    return this.#owner.release(this);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#owner.release(this);
  }
}
