import type { AcquireOptions, RetryPolicy } from './types.js';

/** Longest resource name accepted, in UTF-8 bytes. */
export const MAX_RESOURCE_BYTES = 1024;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

function typeError(name: string, expected: string, value: unknown): TypeError {
  return Object.assign(new TypeError(`${name} must be ${expected}; received ${describe(value)}.`), {
    code: 'ERR_INVALID_ARG_TYPE',
  });
}

function rangeError(name: string, expected: string, value: unknown): RangeError {
  return Object.assign(new RangeError(`${name} must be ${expected}; received ${describe(value)}.`), {
    code: 'ERR_OUT_OF_RANGE',
  });
}

/** Throws unless `value` is a non-empty string of at most 1 KiB. */
export function validateResource(value: unknown, name = 'resource'): string {
  if (typeof value !== 'string') throw typeError(name, 'a string', value);
  if (value.length === 0) throw rangeError(name, 'a non-empty string', value);
  if (Buffer.byteLength(value, 'utf8') > MAX_RESOURCE_BYTES) {
    throw rangeError(name, `at most ${MAX_RESOURCE_BYTES} bytes long`, value);
  }
  return value;
}

/** Throws unless `value` is a positive safe integer number of milliseconds. */
export function validateTtl(value: unknown, name = 'ttl'): number {
  if (typeof value !== 'number') throw typeError(name, 'a number of milliseconds', value);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw rangeError(name, 'a positive safe integer (ms)', value);
  return value;
}

/** Throws unless `value` is a non-negative integer number of milliseconds or Infinity. */
export function validateDuration(value: unknown, name: string): number {
  if (typeof value !== 'number') throw typeError(name, 'a number of milliseconds', value);
  if (value === Number.POSITIVE_INFINITY) return value;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw rangeError(name, 'a non-negative integer (ms) or Infinity', value);
  }
  return value;
}

/** Throws unless `value` is an options object. */
export function validateObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw typeError(name, 'an object', value);
  }
  return value as Record<string, unknown>;
}

/** Throws unless `value` is a namespace usable as a key prefix (no hash-tag braces). */
export function validateNamespace(value: unknown, name = 'namespace'): string {
  if (typeof value !== 'string') throw typeError(name, 'a string', value);
  if (value.length === 0) throw rangeError(name, 'a non-empty string', value);
  if (/[{}]/.test(value))
    throw rangeError(name, 'free of "{" and "}" (they would break cluster hash tags)', value);
  return value;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

/** Validates a retry policy; returns it unchanged. */
export function validateRetry(value: unknown, name = 'retry'): RetryPolicy {
  const retry = validateObject(value, name);
  validateDuration(retry.delay, `${name}.delay`);
  if (retry.delay === Number.POSITIVE_INFINITY) throw rangeError(`${name}.delay`, 'finite', retry.delay);
  if (retry.jitter !== undefined) {
    validateDuration(retry.jitter, `${name}.jitter`);
    if (retry.jitter === Number.POSITIVE_INFINITY) throw rangeError(`${name}.jitter`, 'finite', retry.jitter);
  }
  if (retry.maxAttempts !== undefined) {
    if (typeof retry.maxAttempts !== 'number')
      throw typeError(`${name}.maxAttempts`, 'a number', retry.maxAttempts);
    if (
      retry.maxAttempts !== Number.POSITIVE_INFINITY &&
      (!Number.isSafeInteger(retry.maxAttempts) || retry.maxAttempts < 1)
    ) {
      throw rangeError(`${name}.maxAttempts`, 'a positive integer or Infinity', retry.maxAttempts);
    }
  }
  if (retry.backoff !== undefined && retry.backoff !== 'fixed' && retry.backoff !== 'exponential') {
    throw rangeError(`${name}.backoff`, "'fixed' or 'exponential'", retry.backoff);
  }
  if (retry.maxDelay !== undefined) validateDuration(retry.maxDelay, `${name}.maxDelay`);
  return retry as unknown as RetryPolicy;
}

/** Validates the options of acquire/tryAcquire/using; returns them unchanged. */
export function validateAcquireOptions(value: unknown, name = 'options'): AcquireOptions {
  const options = validateObject(value, name);
  validateTtl(options.ttl, `${name}.ttl`);
  if (options.waitTimeout !== undefined) validateDuration(options.waitTimeout, `${name}.waitTimeout`);
  if (options.signal !== undefined && !isAbortSignal(options.signal)) {
    throw typeError(`${name}.signal`, 'an AbortSignal', options.signal);
  }
  if (options.retry !== undefined) validateRetry(options.retry, `${name}.retry`);
  if (options.autoExtend !== undefined && typeof options.autoExtend !== 'boolean') {
    throw typeError(`${name}.autoExtend`, 'a boolean', options.autoExtend);
  }
  return options as unknown as AcquireOptions;
}

/** Throws unless `value` is a function. */
export function validateFunction(value: unknown, name: string): void {
  if (typeof value !== 'function') throw typeError(name, 'a function', value);
}
