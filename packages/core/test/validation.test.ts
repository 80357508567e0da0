import { describe, expect, it } from 'vitest';
import {
  MAX_RESOURCE_BYTES,
  validateAcquireOptions,
  validateNamespace,
  validateResource,
  validateRetry,
  validateTtl,
} from '../src/index.js';

describe('validateResource', () => {
  it('accepts any non-empty string up to 1 KiB, braces and globs included', () => {
    for (const name of ['a', '{x}', '}', 'a*b?[c]', 'é', 'x'.repeat(MAX_RESOURCE_BYTES)]) {
      expect(validateResource(name)).toBe(name);
    }
  });
  it.each([
    [42, TypeError],
    [undefined, TypeError],
    ['', RangeError],
    ['x'.repeat(MAX_RESOURCE_BYTES + 1), RangeError],
    ['é'.repeat(MAX_RESOURCE_BYTES / 2 + 1), RangeError],
  ])('rejects %j naming the parameter', (value, type) => {
    expect(() => validateResource(value)).toThrow(type);
    expect(() => validateResource(value)).toThrow(/^resource must be/);
  });
});

describe('validateTtl', () => {
  it.each([
    ['100', TypeError],
    [undefined, TypeError],
    [0, RangeError],
    [-1, RangeError],
    [1.5, RangeError],
    [Number.NaN, RangeError],
    [Number.POSITIVE_INFINITY, RangeError],
    [2 ** 53, RangeError],
  ])('rejects %j', (value, type) => {
    expect(() => validateTtl(value)).toThrow(type);
    expect(() => validateTtl(value)).toThrow(/ttl must be/);
  });
  it('accepts positive integers', () => {
    expect(validateTtl(1)).toBe(1);
  });
});

describe('validateAcquireOptions', () => {
  it('names the nested parameter', () => {
    expect(() => validateAcquireOptions({ ttl: 10, waitTimeout: -1 })).toThrow(/options\.waitTimeout/);
    expect(() => validateAcquireOptions({ ttl: 10, signal: {} })).toThrow(
      /options\.signal must be an AbortSignal/,
    );
    expect(() => validateAcquireOptions({ ttl: 10, retry: { delay: -5 } })).toThrow(/options\.retry\.delay/);
    expect(() => validateAcquireOptions({ ttl: 10, autoExtend: 'yes' })).toThrow(/options\.autoExtend/);
    expect(() => validateAcquireOptions(null)).toThrow(/options must be an object/);
    expect(() => validateAcquireOptions({ ttl: 0 })).toThrow(/options\.ttl/);
  });
  it('accepts waitTimeout 0 and Infinity, and a real AbortSignal', () => {
    const signal = new AbortController().signal;
    expect(validateAcquireOptions({ ttl: 10, waitTimeout: 0, signal }).waitTimeout).toBe(0);
    expect(validateAcquireOptions({ ttl: 10, waitTimeout: Number.POSITIVE_INFINITY }).ttl).toBe(10);
  });
});

describe('validateRetry', () => {
  it('rejects unknown backoff and bad maxAttempts', () => {
    expect(() => validateRetry({ delay: 1, backoff: 'linear' })).toThrow(/retry\.backoff/);
    expect(() => validateRetry({ delay: 1, maxAttempts: 0 })).toThrow(/retry\.maxAttempts/);
    expect(() => validateRetry({ delay: 1, jitter: Number.POSITIVE_INFINITY })).toThrow(/retry\.jitter/);
  });
});

describe('validateNamespace', () => {
  it('rejects hash-tag braces, which would split a lock across cluster slots', () => {
    expect(() => validateNamespace('a{b')).toThrow(RangeError);
    expect(() => validateNamespace('')).toThrow(RangeError);
    expect(validateNamespace('app:locks')).toBe('app:locks');
  });
});
