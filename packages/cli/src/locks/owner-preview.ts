/**
 * A recognisable prefix of an owner token, never the token itself: at most 6 characters and at most a third
 * of it, followed by `…`. Whoever reads the output cannot release or extend someone else's lock with it.
 */
export function ownerPreview(owner: string | null): string | null {
  if (owner === null) return null;
  const shown = Math.min(6, Math.floor(owner.length / 3));
  return `${owner.slice(0, shown)}…`;
}
