import { lockKeyPrefix, toAdapter, unescapeHashTag } from '@redis-locks/core';
import { lockRelease } from '@redis-locks/scripts';
import type { KeyLayout } from './strategy-entry.js';

/** Characters that are special in a Redis glob and must be escaped to match literally. */
const GLOB_SPECIALS = /[\\*?[\]]/g;

/** Escapes `text` so a Redis SCAN MATCH pattern matches it literally. */
export function escapeGlob(text: string): string {
  return text.replace(GLOB_SPECIALS, (c) => `\\${c}`);
}

/**
 * The layout of strategies keyed `${namespace}:{resource}` (plus `…:fence` and other suffixed keys that are
 * not the lock itself), as built by core's `lockKeyPrefix`; the key holds the owner token as a string.
 */
export const hashTagLayout: KeyLayout = {
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
  async releaseOwner(client, key, owner) {
    const reply = Number(await toAdapter(client).evalScript(lockRelease, [key], [owner]));
    return reply === 1 ? 'released' : reply === 0 ? 'not-held' : 'changed';
  },
};
