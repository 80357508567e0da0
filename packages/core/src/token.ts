import { randomBytes } from 'node:crypto';

/** A fresh unguessable owner token: 16 random bytes, hex-encoded. */
export function createToken(): string {
  return randomBytes(16).toString('hex');
}
