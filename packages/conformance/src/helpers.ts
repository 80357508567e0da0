import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { isLockError, type Lock, type LockErrorCode } from '@redis-locks/core';
import { expect } from 'vitest';

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return delay(Math.max(0, Math.round(ms))).then(() => undefined);
}

/** Polls `check` every 10 ms until it returns true or `timeout` passes; resolves whether it became true. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeout: number): Promise<boolean> {
  const deadline = performance.now() + timeout;
  for (;;) {
    if (await check()) return true;
    if (performance.now() >= deadline) return false;
    await sleep(10);
  }
}

/** Runs `fn` and returns what it threw or rejected with; fails the test when it did not fail. */
export async function failureOf(fn: () => unknown, what = 'the call'): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  expect.fail(`expected ${what} to fail, but it succeeded`);
}

/** Asserts that `fn` fails with a TypeError or RangeError whose message names the parameter. */
export async function expectArgumentError(fn: () => unknown, parameter: RegExp, what: string): Promise<void> {
  const error = await failureOf(fn, what);
  const ok = error instanceof TypeError || error instanceof RangeError;
  expect(ok, `${what} should fail with a TypeError or RangeError, got ${describeError(error)}`).toBe(true);
  expect((error as Error).message, `${what}: the message should name the parameter`).toMatch(parameter);
}

/** Asserts that `error` is a LockError (by marker) with `code`. */
export function expectLockError(error: unknown, code: LockErrorCode, what = 'the error'): void {
  expect(isLockError(error), `${what} should be a LockError (isLockError), got ${describeError(error)}`).toBe(
    true,
  );
  expect((error as { code?: unknown }).code, `${what} code`).toBe(code);
}

/** Asserts that `fn` fails with a LockError of `code`; returns the error. */
export async function expectLockFailure(
  fn: () => unknown,
  code: LockErrorCode,
  what: string,
): Promise<unknown> {
  const error = await failureOf(fn, what);
  expectLockError(error, code, what);
  return error;
}

/** A short human description of a thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** A random hex string of `bytes` bytes. */
export function randomHex(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * A plain-object Lock for `resource` that nobody was granted: same shape as a real one (copying
 * `template`'s fencing token and expiry when given), but a random token unless `token` is passed.
 */
export function forgeLock(resource: string, options: { template?: Lock; token?: string } = {}): Lock {
  const { template } = options;
  const rejectForged = () => Promise.reject(new Error('forged lock: call the strategy instead'));
  return {
    resource,
    token: options.token ?? randomHex(16),
    ...(template?.fencingToken === undefined ? {} : { fencingToken: template.fencingToken }),
    expiresAt: template?.expiresAt ?? Date.now() + 10_000,
    signal: new AbortController().signal,
    extend: rejectForged,
    release: rejectForged,
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

/** Estimated bits of entropy of a token from its alphabet and length (hex, base64/base64url, otherwise bytes). */
export function tokenEntropyBits(token: string): number {
  const compact = token.replace(/-/g, '');
  if (/^[0-9a-f]+$/i.test(compact)) return compact.length * 4;
  if (/^[A-Za-z0-9+/_]+=*$/.test(compact)) return compact.replace(/=+$/, '').length * 6;
  return Buffer.byteLength(token, 'utf8') * 8;
}

/** Collects `unhandledRejection`s until the returned function is called; it returns them, described. */
export function watchUnhandledRejections(): () => string[] {
  const seen: string[] = [];
  const listener = (reason: unknown) => {
    seen.push(reason instanceof Error ? (reason.stack ?? describeError(reason)) : String(reason));
  };
  process.on('unhandledRejection', listener);
  return () => {
    process.off('unhandledRejection', listener);
    return seen;
  };
}

/** Number of ref'ed timers keeping the event loop alive. */
export function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

/**
 * Asserts that a tryAcquire resolved null. A lock granted by mistake is released (best effort) so it
 * does not leak into later tests. Locks are never handed to `expect`: printing a handle can call
 * into its strategy (chai calls any `.inspect()` method it finds).
 */
export async function expectRefused(
  attempt: Promise<Lock | null>,
  what = 'tryAcquire of a held resource',
): Promise<void> {
  const lock = await attempt;
  if (lock !== null) await lock.release().catch(() => undefined);
  expect(lock === null, `${what} should resolve null, but it granted a lock (token ${lock?.token})`).toBe(
    true,
  );
}
