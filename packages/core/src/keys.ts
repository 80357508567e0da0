/**
 * Escapes a resource for use inside a `{hash tag}`: injective, and the tag never contains `}` and is never
 * empty, so every key of one lock lands in one Cluster slot whatever characters the resource holds.
 */
export function escapeHashTag(resource: string): string {
  return resource.replace(/%/g, '%25').replace(/}/g, '%7D');
}

/** Reverses {@link escapeHashTag}. */
export function unescapeHashTag(tag: string): string {
  return tag.replace(/%7D/g, '}').replace(/%25/g, '%');
}

/** `${namespace}:{escaped resource}`: the prefix every key of one lock starts with. */
export function lockKeyPrefix(namespace: string, resource: string): string {
  return `${namespace}:{${escapeHashTag(resource)}}`;
}
