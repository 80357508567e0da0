import { describe, expect, it } from 'vitest';
import {
  isLockError,
  LockAbortedError,
  LockClosedError,
  LockError,
  LockLostError,
  LockQuorumError,
  LockRedisError,
  LockReplicationError,
  LockTimeoutError,
} from '../src/index.js';

describe('errors', () => {
  it('carry stable codes, names and causes', () => {
    const cause = new Error('boom');
    const cases: [LockError, string, string][] = [
      [new LockTimeoutError('r', 3, 100), 'LOCK_TIMEOUT', 'LockTimeoutError'],
      [new LockLostError('r', 'it expired', { cause }), 'LOCK_LOST', 'LockLostError'],
      [
        new LockQuorumError('r', 'acquire', [{ node: 0, vote: 'error', error: cause }]),
        'LOCK_QUORUM',
        'LockQuorumError',
      ],
      [new LockReplicationError('r', 0, 1), 'LOCK_REPLICATION', 'LockReplicationError'],
      [new LockAbortedError('r', { cause }), 'LOCK_ABORTED', 'LockAbortedError'],
      [new LockClosedError(), 'LOCK_CLOSED', 'LockClosedError'],
      [new LockRedisError('r', 'acquire', cause), 'LOCK_REDIS', 'LockRedisError'],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(LockError);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(isLockError(error)).toBe(true);
      expect(isLockError(error, code as never)).toBe(true);
    }
    expect(new LockRedisError('r', 'acquire', cause).cause).toBe(cause);
    expect(new LockTimeoutError('r', 3, 100).message).toMatch(/waitTimeout|tryAcquire/);
  });

  it('recognises errors from another copy of the package by marker, not instanceof', () => {
    const foreign = Object.assign(new Error('x'), { code: 'LOCK_LOST' });
    Object.defineProperty(foreign, Symbol.for('redis-locks.LockError'), { value: true });
    expect(isLockError(foreign, 'LOCK_LOST')).toBe(true);
    expect(isLockError(new Error('x'))).toBe(false);
    expect(isLockError({ code: 'LOCK_LOST' })).toBe(false);
    expect(isLockError(new LockLostError('r', 'x'), 'LOCK_TIMEOUT')).toBe(false);
  });

  it('names every node in a quorum error', () => {
    const error = new LockQuorumError('r', 'acquire', [
      { node: 0, vote: 'for' },
      { node: 1, vote: 'timeout' },
      { node: 2, vote: 'against' },
    ]);
    expect(error.message).toContain('node 1: timeout');
    expect(error.votes).toHaveLength(3);
  });
});
