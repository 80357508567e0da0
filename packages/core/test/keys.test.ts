import { describe, expect, it } from 'vitest';
import { escapeHashTag, lockKeyPrefix, unescapeHashTag } from '../src/index.js';

/** The part of a key Redis Cluster hashes: the first non-empty {tag}, else the whole key. */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

describe('lockKeyPrefix', () => {
  const awkward = ['plain', '}', '}{', '{a}', 'a}b', '%7D', '%', 'x{y}z', '*?[]', '"\'`'];

  it('puts every key of one lock in one slot, whatever the resource holds', () => {
    for (const resource of awkward) {
      const prefix = lockKeyPrefix('ns', resource);
      expect(hashedPart(prefix)).toBe(hashedPart(`${prefix}:fence`));
      expect(hashedPart(prefix)).toBe(escapeHashTag(resource));
    }
  });

  it('is injective: distinct resources never share a key', () => {
    const keys = new Set(awkward.map((r) => lockKeyPrefix('ns', r)));
    expect(keys.size).toBe(awkward.length);
  });

  it('round-trips the escaping', () => {
    for (const resource of awkward) expect(unescapeHashTag(escapeHashTag(resource))).toBe(resource);
  });
});
