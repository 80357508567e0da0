import { describe, expect, it } from 'vitest';
import { ReleaseWaiters, type WatchGrant } from '../src/index.js';

/** A waiter that records its wake-ups. */
function waiter(name: string, log: string[]) {
  return (grant?: WatchGrant) => log.push(grant ? `${name}:${grant.token}` : name);
}

describe('ReleaseWaiters', () => {
  it('a plain release wakes the longest-waiting waiter of that resource only', () => {
    const log: string[] = [];
    const waiters = new ReleaseWaiters();
    waiters.add('r', waiter('first', log));
    waiters.add('r', waiter('second', log));
    waiters.add('other', waiter('elsewhere', log));
    waiters.wakeOldest('r');
    waiters.wakeOldest('r');
    waiters.wakeOldest('nobody');
    expect(log).toEqual(['first', 'first']);
  });

  it('a release announced several times (one id) wakes one waiter once; a new id wakes again', () => {
    const log: string[] = [];
    const waiters = new ReleaseWaiters();
    waiters.add('r', waiter('first', log));
    waiters.add('r', waiter('second', log));
    for (let node = 0; node < 5; node++) waiters.wakeOldest('r', 'release-1');
    waiters.wakeOldest('r', 'release-2');
    expect(log).toEqual(['first', 'first']);
  });

  it('a hand-off wakes every waiter of the resource with the grant', () => {
    const log: string[] = [];
    const waiters = new ReleaseWaiters();
    waiters.add('r', waiter('a', log));
    waiters.add('r', waiter('b', log));
    waiters.add('other', waiter('c', log));
    waiters.wakeAll('r', { token: 't1' });
    waiters.wakeAll('r');
    expect(log).toEqual(['a:t1', 'b:t1', 'a', 'b']);
  });

  it('removing the oldest passes the next release to the next waiter; the last one leaving forgets the resource', () => {
    const log: string[] = [];
    const waiters = new ReleaseWaiters();
    const removeFirst = waiters.add('r', waiter('first', log));
    const removeSecond = waiters.add('r', waiter('second', log));
    expect(waiters.size).toBe(1);
    expect(removeFirst()).toBe(true);
    expect(removeFirst()).toBe(false);
    waiters.wakeOldest('r', 'release-1');
    expect(log).toEqual(['second']);
    expect(removeSecond()).toBe(true);
    expect(waiters.has('r')).toBe(false);
    expect(waiters.size).toBe(0);
    // A new waiter starts afresh: an id seen before the resource was forgotten wakes it.
    waiters.add('r', waiter('third', log));
    waiters.wakeOldest('r', 'release-1');
    expect(log).toEqual(['second', 'third']);
  });

  it('the same callback may wait twice; a waiter that leaves while others are woken is skipped safely', () => {
    const log: string[] = [];
    const waiters = new ReleaseWaiters();
    const shared = waiter('shared', log);
    const removeOne = waiters.add('r', shared);
    waiters.add('r', shared);
    waiters.add('r', () => {
      log.push('leaver');
      removeOne();
    });
    waiters.wakeAll('r');
    expect(log).toEqual(['shared', 'shared', 'leaver']);
    waiters.wakeAll('r');
    expect(log).toEqual(['shared', 'shared', 'leaver', 'shared', 'leaver']);
  });
});
