import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import {
  FencedResource,
  type HoldRecord,
  LostUpdateChecker,
  OverlapChecker,
  uniqueKey,
} from '../src/index.js';

const rec = (resource: string, owner: string, start: number, end: number): HoldRecord => ({
  resource,
  owner,
  start: BigInt(start),
  end: BigInt(end),
});

describe('OverlapChecker', () => {
  it('accepts back-to-back and disjoint holds, and holds of different resources', () => {
    const c = new OverlapChecker();
    c.add(rec('r', 'a', 0, 10));
    c.add(rec('r', 'b', 10, 20)); // touching is not overlapping
    c.add(rec('r', 'c', 25, 30));
    c.add(rec('other', 'd', 5, 28)); // another resource
    expect(c.overlaps()).toEqual([]);
    expect(() => c.assertNoOverlap()).not.toThrow();
    expect(c.records().map((r) => r.owner)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('finds intersecting holds on the same resource (negative control)', () => {
    const c = new OverlapChecker();
    c.add(rec('r', 'a', 0, 10));
    c.add(rec('r', 'b', 9, 20));
    c.add(rec('r', 'c', 30, 40));
    c.add(rec('r', 'd', 32, 35)); // nested
    c.add(rec('q', 'e', 0, 100));
    const found = c.overlaps();
    expect(found.map((o) => [o.resource, o.a.owner, o.b.owner])).toEqual([
      ['r', 'a', 'b'],
      ['r', 'c', 'd'],
    ]);
    expect(() => c.assertNoOverlap()).toThrow(
      /2 overlapping hold\(s\)[\s\S]*r: a .* and b .*[\s\S]*r: c .* and d/,
    );
  });

  it('finds every pair when many holders overlap at once', () => {
    const c = new OverlapChecker();
    for (let i = 0; i < 4; i++) c.add(rec('r', `o${i}`, i, 100));
    expect(c.overlaps()).toHaveLength(6);
  });

  it('records acquire/release histories with hrtime timestamps', async () => {
    const c = new OverlapChecker();
    c.acquired('r', 'a');
    await new Promise((r) => setTimeout(r, 5));
    c.released('r', 'a');
    c.acquired('r', 'b');
    c.released('r', 'b');
    expect(c.records()).toHaveLength(2);
    expect(c.overlaps()).toEqual([]);
    expect(() => c.released('r', 'nobody')).toThrow(/never acquired/);
  });

  it('treats holds that were never released as still held', () => {
    const c = new OverlapChecker();
    c.acquired('r', 'crashed', 0n);
    c.acquired('r', 'next', 50n);
    c.released('r', 'next', 60n);
    expect(c.openHolds()).toEqual([{ resource: 'r', owner: 'crashed', start: 0n }]);
    expect(c.overlaps()).toHaveLength(1);
    expect(() => c.assertNoOverlap()).toThrow(/never released/);
    // recording when the crashed holder really stopped resolves it
    c.released('r', 'crashed', 40n);
    expect(c.overlaps()).toEqual([]);
  });

  it('merges histories from other processes through JSON', () => {
    const worker = new OverlapChecker();
    worker.add(rec('r', 'w', 5, 15));
    const main = new OverlapChecker();
    main.add(rec('r', 'm', 0, 10));
    main.merge(JSON.parse(JSON.stringify(worker)));
    expect(main.overlaps()).toHaveLength(1);
    const copy = new OverlapChecker();
    copy.merge(main);
    expect(copy.records()).toEqual(main.records());
  });

  it('rejects malformed records', () => {
    const c = new OverlapChecker();
    expect(() => c.add(rec('r', 'a', 10, 5))).toThrow(RangeError);
    expect(() => c.add({ resource: 'r', owner: 'a', start: 1, end: 2 } as unknown as HoldRecord)).toThrow(
      TypeError,
    );
  });
});

describe('FencedResource', () => {
  it('accepts strictly increasing tokens per key and rejects stale ones', () => {
    const f = new FencedResource();
    expect(f.write('k', 1, 'a')).toBe(true);
    expect(f.write('k', 3, 'b')).toBe(true);
    expect(f.write('k', 2, 'stale')).toBe(false);
    expect(f.write('k', 3, 'same')).toBe(false);
    expect(f.write('other', 1)).toBe(true); // keys are independent
    expect(f.write('k', 4n, 'big')).toBe(true);
    expect(f.accepted).toBe(4);
    expect(f.rejected).toBe(2);
    expect(f.read('k')).toBe('big');
    expect(f.highestToken('k')).toBe(4n);
    expect(f.log().map((e) => e.accepted)).toEqual([true, true, false, false, true, true]);
    expect(f.staleAcceptedCount()).toBe(0);
  });

  it('its self-check catches a resource that accepts stale tokens (negative control)', () => {
    class Broken extends FencedResource {
      protected override accepts(): boolean {
        return true;
      }
    }
    const f = new Broken();
    f.write('k', 5);
    f.write('k', 3);
    f.write('k', 5);
    f.write('k', 6);
    expect(f.accepted).toBe(4);
    expect(f.staleAcceptedCount()).toBe(2);
  });

  it('rejects invalid tokens', () => {
    const f = new FencedResource();
    expect(() => f.write('k', Number.NaN)).toThrow(TypeError);
    expect(() => f.write('k', '1' as unknown as number)).toThrow(TypeError);
  });
});

describe('LostUpdateChecker', () => {
  it('accepts serialised read-modify-writes', () => {
    const c = new LostUpdateChecker();
    const list: string[] = [];
    for (const id of ['a.1', 'b.1', 'a.2']) {
      c.updated('l', id, id.slice(0, 1), list.length);
      list.push(id);
    }
    expect(c.check('l', list)).toEqual({ key: 'l', updates: 3, lost: [], conflicts: 0, duplicated: [] });
    expect(c.lostUpdates({ l: list })).toBe(0);
    expect(() => c.assertNoLostUpdate({ l: list })).not.toThrow();
  });

  it('catches an update overwritten by a concurrent writer that read the same version', () => {
    const c = new LostUpdateChecker();
    // a and b both read [] (no lock held), a writes [a.1], then b writes [b.1]: a.1 is lost.
    c.updated('l', 'a.1', 'a', 0);
    c.updated('l', 'b.1', 'b', 0);
    const report = c.check('l', ['b.1']);
    expect(report.lost).toEqual(['a.1']);
    expect(report.conflicts).toBe(1);
    expect(c.lostUpdates({ l: ['b.1'] })).toBe(1);
    expect(() => c.assertNoLostUpdate({ l: ['b.1'] })).toThrow(
      /1 lost update\(s\)[\s\S]*l: 1 of 2 updates lost \(a\.1\)/,
    );
  });

  it('flags duplicated elements, missing keys and bad arguments', () => {
    const c = new LostUpdateChecker();
    c.updated('l', 'a.1', 'a', 0);
    expect(c.check('l', ['a.1', 'a.1']).duplicated).toEqual(['a.1']);
    expect(() => c.assertNoLostUpdate({ l: ['a.1', 'a.1'] })).toThrow(/duplicated/);
    expect(c.check('l', null).lost).toEqual(['a.1']);
    expect(() => c.lostUpdates({})).toThrow(/no final contents for l/);
    expect(() => c.updated('l', 'x', 'x', -1)).toThrow(RangeError);
  });

  it('merges histories from other processes through JSON', () => {
    const a = new LostUpdateChecker();
    a.updated('l', 'a.1', 'a', 0);
    const b = new LostUpdateChecker();
    b.updated('l', 'b.1', 'b', 1);
    const all = new LostUpdateChecker();
    all.merge(JSON.parse(JSON.stringify(a)));
    all.merge(b);
    expect(all.updates().map((u) => u.id)).toEqual(['a.1', 'b.1']);
    expect(all.lostUpdates({ l: ['a.1', 'b.1'] })).toBe(0);
  });

  it('catches real lost updates of unlocked read-modify-writes on a Redis list', async () => {
    const key = uniqueKey('lost-update');
    const clients = [new Redis(inject('redisUrl')), new Redis(inject('redisUrl'))];
    const c = new LostUpdateChecker();
    try {
      await clients[0]!.set(key, '[]');
      // Both read first, then both write back: no lock, so the first write is overwritten.
      const reads = await Promise.all(
        clients.map(async (r) => JSON.parse((await r.get(key)) ?? '[]') as string[]),
      );
      for (const [i, r] of clients.entries()) {
        const id = `w${i}.1`;
        await r.set(key, JSON.stringify([...reads[i]!, id]));
        c.updated(key, id, `w${i}`, reads[i]!.length);
      }
      const final = JSON.parse((await clients[0]!.get(key)) ?? '[]') as string[];
      expect(c.lostUpdates({ [key]: final })).toBe(1);
    } finally {
      await clients[0]!.del(key);
      await Promise.all(clients.map((r) => r.quit()));
    }
  });
});
