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
  /** Created on first access of `signal`: most locks are released without anyone listening. */
  #controller: AbortController | undefined;
  /** Set once the lock is released or lost; builds the abort reason only when someone asks for it. */
  #endReason: (() => unknown) | undefined;

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
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#endReason) this.#controller.abort(this.#endReason());
    }
    return this.#controller.signal;
  }

  /** @internal true once the lock was released or lost. */
  get ended(): boolean {
    return this.#endReason !== undefined;
  }

  /** @internal marks the lock released or lost and aborts `signal` (once) with the reason. */
  end(reason: () => unknown): void {
    if (this.#endReason) return;
    this.#endReason = reason;
    this.#controller?.abort(reason());
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
