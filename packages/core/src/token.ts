import { randomFillSync } from 'node:crypto';

const TOKEN_BYTES = 16;
// One crypto fill serves 256 tokens: the same CSPRNG bytes, without a system call per acquire.
const pool = Buffer.allocUnsafe(TOKEN_BYTES * 256);
let offset = pool.length;

/** A fresh unguessable owner token: 16 random bytes from the CSPRNG, hex-encoded. */
export function createToken(): string {
  if (offset + TOKEN_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const token = pool.toString('hex', offset, offset + TOKEN_BYTES);
  offset += TOKEN_BYTES;
  return token;
}
