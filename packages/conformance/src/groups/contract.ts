import type { Lock } from '@redis-locks/core';
import { expect, it } from 'vitest';
import type { SuiteFixture } from '../fixture.js';
import { expectRefused, tokenEntropyBits } from '../helpers.js';
import { describeGroup } from './describe-group.js';
import { conformanceGroups } from './titles.js';

const METHODS = ['acquire', 'tryAcquire', 'extend', 'release', 'inspect', 'using', 'close'] as const;

/** 1. The shape of LockStrategy, its capabilities and the Lock handle. */
export function contractGroup(f: SuiteFixture): void {
  describeGroup(f, conformanceGroups.contract, () => {
    it('has a non-empty name and a complete capabilities object', () => {
      const { name, capabilities } = f.strategy;
      expect(typeof name).toBe('string');
      expect(name.length).toBeGreaterThan(0);
      expect(capabilities).toBeTypeOf('object');
      expect(typeof capabilities.fencing).toBe('boolean');
      expect(['pubsub', 'poll']).toContain(capabilities.wakeup);
      expect(typeof capabilities.multiNode).toBe('boolean');
      expect(typeof capabilities.replicationCheck).toBe('boolean');
      expect(typeof capabilities.fair).toBe('boolean');
    });

    it('exposes every method of the LockStrategy contract', () => {
      for (const method of METHODS) {
        expect(typeof (f.strategy as unknown as Record<string, unknown>)[method], method).toBe('function');
      }
    });

    it('returns a Lock for the requested resource with a live signal and its own methods', async () => {
      const resource = f.resource('shape');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(2000) });
      expect(lock).not.toBeNull();
      try {
        expect(lock!.resource).toBe(resource);
        expect(lock!.signal).toBeInstanceOf(AbortSignal);
        expect(lock!.signal.aborted).toBe(false);
        expect(typeof lock!.extend).toBe('function');
        expect(typeof lock!.release).toBe('function');
        expect(typeof lock![Symbol.asyncDispose]).toBe('function');
      } finally {
        await lock?.release();
      }
    });

    it('gives every lock an unguessable token (>= 128 bits) that differs across locks', async () => {
      const resource = f.resource('token');
      const tokens = new Set<string>();
      for (let i = 0; i < 8; i++) {
        const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(2000) });
        expect(lock).not.toBeNull();
        expect(typeof lock!.token).toBe('string');
        expect(tokenEntropyBits(lock!.token), `token ${lock!.token}`).toBeGreaterThanOrEqual(128);
        tokens.add(lock!.token);
        await lock!.release();
      }
      const other = await f.strategy.tryAcquire(f.resource('token'), { ttl: f.t(2000) });
      tokens.add(other!.token);
      await other!.release();
      expect(tokens.size).toBe(9);
    });

    it('sets expiresAt to about now + ttl', async () => {
      const ttl = f.t(3000);
      const before = Date.now();
      const lock = await f.strategy.tryAcquire(f.resource('expires'), { ttl });
      const after = Date.now();
      try {
        expect(typeof lock!.expiresAt).toBe('number');
        // Quorum strategies may subtract clock drift and elapsed time, never add to the ttl.
        expect(lock!.expiresAt).toBeGreaterThanOrEqual(before + ttl * 0.95 - 50);
        expect(lock!.expiresAt).toBeLessThanOrEqual(after + ttl + 50);
      } finally {
        await lock?.release();
      }
    });

    it('carries a fencingToken exactly when capabilities.fencing is true', async () => {
      const lock = await f.strategy.tryAcquire(f.resource('fence-shape'), { ttl: f.t(2000) });
      try {
        if (f.strategy.capabilities.fencing) expect(typeof lock!.fencingToken).toBe('number');
        else expect(lock!.fencingToken).toBeUndefined();
      } finally {
        await lock?.release();
      }
    });

    it('releases at scope exit with `await using`', async () => {
      const resource = f.resource('using-decl');
      let seen: Lock | undefined;
      {
        await using lock = (await f.strategy.tryAcquire(resource, { ttl: f.t(5000) }))!;
        seen = lock;
        await expectRefused(f.other.tryAcquire(resource, { ttl: f.t(1000) }));
      }
      expect(seen!.signal.aborted).toBe(true);
      expect(await f.strategy.inspect(resource)).toBeNull();
    });

    it('releases through lock[Symbol.asyncDispose]()', async () => {
      const resource = f.resource('dispose');
      const lock = await f.strategy.tryAcquire(resource, { ttl: f.t(5000) });
      await lock![Symbol.asyncDispose]();
      expect(lock!.signal.aborted).toBe(true);
      const again = await f.other.tryAcquire(resource, { ttl: f.t(1000) });
      expect(again).not.toBeNull();
      await again!.release();
    });
  });
}
