/** Reads an integer from a script reply of either client (number, numeric string, or bigint). */
export function toInteger(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`Unexpected reply from Redis: ${String(value)}`);
  return n;
}

/** Reads the `{pttl, fence, matches}` reply of lock_inspect. */
export function toInspectReply(reply: unknown): { pttl: number; fence: number; matches: boolean } {
  if (!Array.isArray(reply) || reply.length < 3) {
    throw new TypeError(`Unexpected reply from Redis to lock_inspect: ${String(reply)}`);
  }
  return { pttl: toInteger(reply[0]), fence: toInteger(reply[1]), matches: toInteger(reply[2]) === 1 };
}
