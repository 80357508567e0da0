import { describe, expect, it } from 'vitest';
import { createToken } from '../src/index.js';

describe('createToken', () => {
  it('returns 128-bit hex tokens that never repeat, across pool refills', () => {
    const tokens = Array.from({ length: 2000 }, () => createToken());
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
