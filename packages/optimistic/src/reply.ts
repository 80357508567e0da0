/** Reads an integer from a script reply of either client (number, numeric string, or bigint). */
export function toInteger(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`Unexpected reply from Redis: ${String(value)}`);
  return n;
}
