/** Counts requests a client sent to Redis (one awaited command or script = one round trip). */
export class RoundTripCounter {
  /** Requests counted since the last reset. */
  count = 0;

  /** Starts counting from zero. */
  reset(): void {
    this.count = 0;
  }
}
