/** A release or hand-off announced by the semaphore scripts: `token\nfence\nttl\nresource`. */
export interface Announcement {
  /** The waiter the lock was handed to; '' for a plain release. */
  readonly token: string;
  /** Fencing token of the hand-off (0 for a plain release). */
  readonly fence: number;
  /** The new owner's ttl in ms (0 for a plain release). */
  readonly ttl: number;
  /** The resource released. */
  readonly resource: string;
}

/** Parses an announcement; undefined for anything else published on the channel. */
export function parseAnnouncement(message: string): Announcement | undefined {
  const a = message.indexOf('\n');
  const b = a < 0 ? -1 : message.indexOf('\n', a + 1);
  const c = b < 0 ? -1 : message.indexOf('\n', b + 1);
  if (c < 0) return undefined;
  const token = message.slice(0, a);
  const fence = token === '' ? 0 : Number(message.slice(a + 1, b));
  const ttl = token === '' ? 0 : Number(message.slice(b + 1, c));
  if (!Number.isFinite(fence) || !Number.isFinite(ttl)) return undefined;
  return { token, fence, ttl, resource: message.slice(c + 1) };
}
