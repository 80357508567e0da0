import { lockKeyPrefix, toAdapter, unescapeHashTag } from '@redis-locks/core';
import { lockRelease } from '@redis-locks/scripts';
import type { ForcedReleaseOutcome, KeyLayout } from './strategy-entry.js';

/** Characters that are special in a Redis glob and must be escaped to match literally. */
const GLOB_SPECIALS = /[\\*?[\]]/g;

/** Escapes `text` so a Redis SCAN MATCH pattern matches it literally. */
export function escapeGlob(text: string): string {
  return text.replace(GLOB_SPECIALS, (c) => `\\${c}`);
}

/** The reply of a compare-and-delete script (1 deleted, 0 missing, -1 another owner) as an outcome. */
export function releaseOutcome(reply: unknown): ForcedReleaseOutcome {
  const n = Number(reply);
  return n === 1 ? 'released' : n === 0 ? 'not-held' : 'changed';
}

/** Options of {@link createHashTagLayout}. */
export interface HashTagLayoutOptions {
  /**
   * The channel on which a release is announced (with an empty message), given the lock key; the forced
   * release publishes there so the strategy's waiters re-try at once. Default: announce nothing.
   */
  readonly releasedChannel?: (lockKey: string) => string;
}

/**
 * The layout of strategies keyed `${namespace}:{resource}` (plus `…:fence` and other suffixed keys that are
 * not the lock itself), as built by core's `lockKeyPrefix`; the key holds the owner token as a string.
 */
export function createHashTagLayout(options: HashTagLayoutOptions = {}): KeyLayout {
  return {
    scanPattern(namespace, resourceGlob) {
      return `${escapeGlob(namespace)}:{${resourceGlob}}`;
    },
    resourceOf(namespace, key) {
      const head = `${namespace}:{`;
      if (!key.startsWith(head) || !key.endsWith('}')) return undefined;
      const tag = key.slice(head.length, -1);
      // An escaped tag never contains '}', so a key whose tag does is some other key (e.g. a suffixed one).
      if (tag.length === 0 || tag.includes('}')) return undefined;
      return unescapeHashTag(tag);
    },
    lockKey(namespace, resource) {
      return lockKeyPrefix(namespace, resource);
    },
    async readOwner(client, key) {
      try {
        return await client.get(key);
      } catch {
        return null; // not a string key: not a lock of this layout
      }
    },
    async releaseOwner(client, { key }, owner) {
      const channel = options.releasedChannel?.(key) ?? '';
      const args = channel === '' ? [owner] : [owner, channel, '', 'publish'];
      return releaseOutcome(await toAdapter(client).evalScript(lockRelease, [key], args));
    },
  };
}

/** {@link createHashTagLayout} without release announcements: optimistic and keyed (polling waiters). */
export const hashTagLayout: KeyLayout = createHashTagLayout();
