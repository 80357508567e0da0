/**
 * Lets calls on an adapter's own connections settle once the adapter is closed. A connection whose server
 * is down keeps a command in its offline queue until the server is back; closing that connection does not
 * always reject it (ioredis), so such a call would otherwise never settle.
 */
export class CloseSignal {
  private readonly closed: Promise<never>;
  private reject!: (error: Error) => void;
  private done = false;

  constructor() {
    this.closed = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    // Nobody may be racing when it fires.
    this.closed.catch(() => undefined);
  }

  /** Whether {@link close} ran. */
  get isClosed(): boolean {
    return this.done;
  }

  /** Throws "The adapter was closed." once close() ran. */
  throwIfClosed(): void {
    if (this.done) throw closedError();
  }

  /** Settles like `pending`, or rejects with "The adapter was closed." once close() runs first. */
  race<T>(pending: Promise<T>): Promise<T> {
    return Promise.race([pending, this.closed]);
  }

  /** Resolves like `pending`, or at once (undefined) when close() runs first. */
  raceQuietly<T>(pending: Promise<T>): Promise<T | undefined> {
    return Promise.race([pending, this.closed.catch(() => undefined)]);
  }

  close(): void {
    this.done = true;
    this.reject(closedError());
  }
}

function closedError(): Error {
  return new Error('The adapter was closed.');
}
