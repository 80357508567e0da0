import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LingeringSubscriptions, type SharedSubscription } from '../src/index.js';

/** A subscription that records its end; `finishEnd` settles a pending end when `slowEnd` is set. */
class FakeSubscription implements SharedSubscription {
  failed = false;
  ended = 0;
  finishEnd: () => void = () => undefined;
  constructor(
    readonly name: string,
    private readonly slowEnd = false,
  ) {}
  end(): Promise<void> {
    this.ended++;
    if (!this.slowEnd) return Promise.resolve();
    return new Promise((resolve) => {
      this.finishEnd = resolve;
    });
  }
}

describe('LingeringSubscriptions', () => {
  const LINGER = 1000;
  let opened: FakeSubscription[];
  const open =
    (name: string, slowEnd = false) =>
    () => {
      const subscription = new FakeSubscription(name, slowEnd);
      opened.push(subscription);
      return subscription;
    };

  beforeEach(() => {
    opened = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens one subscription per key and shares it between the waiters of that key', () => {
    const subscriptions = new LingeringSubscriptions<FakeSubscription>(LINGER);
    const a = subscriptions.join('ch', open('first'));
    const b = subscriptions.join('ch', open('second'));
    const c = subscriptions.join('other', open('third'));
    expect(a.subscription).toBe(b.subscription);
    expect(c.subscription).not.toBe(a.subscription);
    expect(opened.map((s) => s.name)).toEqual(['first', 'third']);
    expect(subscriptions.get('ch')).toBe(a.subscription);
  });

  it('keeps a subscription lingerMs after its last waiter left, for the next waiter to join', () => {
    const subscriptions = new LingeringSubscriptions<FakeSubscription>(LINGER);
    const first = subscriptions.join('ch', open('first'));
    first.leave();
    vi.advanceTimersByTime(LINGER - 1);
    expect(first.subscription.ended).toBe(0);
    const next = subscriptions.join('ch', open('second'));
    expect(next.subscription).toBe(first.subscription);
    // The linger was cancelled: the subscription stays while its waiter does.
    vi.advanceTimersByTime(10 * LINGER);
    expect(first.subscription.ended).toBe(0);
    next.leave();
    vi.advanceTimersByTime(LINGER);
    expect(first.subscription.ended).toBe(1);
    expect(subscriptions.get('ch')).toBeUndefined();
    expect(opened).toHaveLength(1);
  });

  it('counts a waiter that leaves twice once', () => {
    const subscriptions = new LingeringSubscriptions<FakeSubscription>(LINGER);
    const a = subscriptions.join('ch', open('first'));
    subscriptions.join('ch', open('unused'));
    a.leave();
    a.leave();
    vi.advanceTimersByTime(10 * LINGER);
    expect(a.subscription.ended).toBe(0);
  });

  it('replaces a failed subscription on the next join, ends the failed one, and counts its waiters', () => {
    const subscriptions = new LingeringSubscriptions<FakeSubscription>(LINGER);
    const stale = subscriptions.join('ch', open('first'));
    stale.subscription.failed = true;
    const fresh = subscriptions.join('ch', open('second'));
    expect(fresh.subscription.name).toBe('second');
    expect(stale.subscription.ended).toBe(1);
    // The first waiter still waits (now served by the fresh subscription): it must leave too.
    fresh.leave();
    vi.advanceTimersByTime(10 * LINGER);
    expect(fresh.subscription.ended).toBe(0);
    stale.leave();
    vi.advanceTimersByTime(LINGER);
    expect(fresh.subscription.ended).toBe(1);
  });

  it('ends a failed subscription as soon as its last waiter left, without lingering', () => {
    const subscriptions = new LingeringSubscriptions<FakeSubscription>(LINGER);
    const only = subscriptions.join('ch', open('first'));
    only.subscription.failed = true;
    only.leave();
    expect(only.subscription.ended).toBe(1);
    expect(subscriptions.get('ch')).toBeUndefined();
  });

  it('close() ends every subscription, lingering or in use, and waits for ends under way', async () => {
    const subscriptions = new LingeringSubscriptions<FakeSubscription>(LINGER);
    const inUse = subscriptions.join('a', open('in use'));
    const ending = subscriptions.join('c', open('ending', true));
    ending.leave();
    vi.advanceTimersByTime(LINGER);
    expect(ending.subscription.ended).toBe(1);
    const lingering = subscriptions.join('b', open('lingering', true));
    lingering.leave();
    expect(lingering.subscription.ended).toBe(0);

    let closed = false;
    const closing = subscriptions.close().then(() => {
      closed = true;
    });
    expect(inUse.subscription.ended).toBe(1);
    expect(lingering.subscription.ended).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    lingering.subscription.finishEnd();
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    ending.subscription.finishEnd();
    await closing;
    // Leaving after close() neither ends twice nor arms a timer.
    inUse.leave();
    expect(vi.getTimerCount()).toBe(0);
    expect(inUse.subscription.ended).toBe(1);
    expect(ending.subscription.ended).toBe(1);
  });
});
