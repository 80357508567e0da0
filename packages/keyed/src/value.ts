/** Longest owner value accepted, in UTF-8 bytes. */
export const MAX_VALUE_BYTES = 1024;

/**
 * Throws a TypeError/RangeError naming `name` unless `value` is a non-empty string of at most 1 KiB.
 * The message never repeats the value: it is the authority to release the lock.
 */
export function validateValue(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw Object.assign(
      new TypeError(
        `${name} must be a string (the lock's owner value); received ${value === null ? 'null' : typeof value}.`,
      ),
      { code: 'ERR_INVALID_ARG_TYPE' },
    );
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes === 0 || bytes > MAX_VALUE_BYTES) {
    throw Object.assign(
      new RangeError(
        `${name} must be a non-empty string of at most ${MAX_VALUE_BYTES} bytes; received one of ${bytes} bytes.`,
      ),
      { code: 'ERR_OUT_OF_RANGE' },
    );
  }
  return value;
}
