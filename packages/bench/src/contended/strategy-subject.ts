import { isLockError, type LockStrategy, type RedisAdapter, toAdapter } from '@redis-locks/core';
import { Redis } from 'ioredis';
import { notingAdapter } from '../noting-adapter.js';
import type { ContendedSubject, HeldLock, OpenContended, Wakeup } from './contended-subject.js';

/** Builds a strategy over one adapter per node (single-node strategies get one). */
export type ContendedFactory = (adapters: RedisAdapter[]) => LockStrategy;

/**
 * One of our strategies as a contended subject, with its library defaults (retry, fallback interval). Every
 * subscription message is stamped through a noting adapter, so hand-offs woken by a notification are told
 * apart from those completed by a poll or fallback timer.
 */
export function strategyContended(
  name: string,
  wakeup: Wakeup,
  notes: string,
  create: ContendedFactory,
  nodes = 1,
): ContendedSubject {
  return {
    name,
    kind: 'ours',
    wakeup,
    notes,
    async open({ urls, ttlMs }): Promise<OpenContended> {
      const notifications: bigint[] = [];
      const attempts: bigint[] = [];
      const clients = urls.slice(0, nodes).map((url) => new Redis(url));
      const inner = clients.map((client) => toAdapter(client));
      const strategy = create(inner.map((adapter) => notingAdapter(adapter, notifications, attempts)));
      const held = (lock: Awaited<ReturnType<LockStrategy['acquire']>>): HeldLock => ({
        release: async () => (await lock.release()) === 'released',
      });
      return {
        notifications,
        attempts,
        async acquire(resource, waitTimeoutMs, signal) {
          return held(
            await strategy.acquire(resource, {
              ttl: ttlMs,
              waitTimeout: waitTimeoutMs,
              ...(signal ? { signal } : {}),
            }),
          );
        },
        async tryAcquire(resource) {
          try {
            const lock = await strategy.tryAcquire(resource, { ttl: ttlMs });
            return lock ? held(lock) : null;
          } catch (error) {
            if (isLockError(error, 'LOCK_TIMEOUT')) return null;
            throw error;
          }
        },
        async close() {
          await strategy.close();
          for (const adapter of inner) await adapter.close();
          for (const client of clients) client.disconnect();
        },
      };
    },
  };
}
