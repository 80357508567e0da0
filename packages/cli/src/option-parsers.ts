import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';

/** A commander option parser accepting integers in [min, max]. */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
    }
    return parsed;
  };
}

/** A commander option parser for a comma-separated list of non-empty names. */
export function nameList(value: string): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('expected one or more comma-separated names.');
  return names;
}

/** A commander option parser for a redis:// or rediss:// URL. */
export function redisUrl(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL such as redis://127.0.0.1:6379.');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new InvalidArgumentError('expected a redis:// or rediss:// URL.');
  }
  return value;
}

/**
 * A commander option parser for a repeatable `--url`: each occurrence may hold several comma-separated
 * redis:// URLs; the result is every URL in order. (Options using it must not have a commander default,
 * which commander would pass in as `previous`.)
 */
export function redisUrlList(value: string, previous: string[] | undefined): string[] {
  const urls = value
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  if (urls.length === 0)
    throw new InvalidArgumentError('expected one or more comma-separated redis:// URLs.');
  return [...(previous ?? []), ...urls.map(redisUrl)];
}

/**
 * A commander option parser for a file to write: the absolute path, checked before any work starts — its
 * directory must exist, and the path must not be a directory.
 */
export function outputFile(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a file path.');
  const path = resolve(value);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InvalidArgumentError(`${path} is a directory; expected a file path.`);
  }
  if (!statSync(dirname(path), { throwIfNoEntry: false })?.isDirectory()) {
    throw new InvalidArgumentError(`directory ${dirname(path)} does not exist.`);
  }
  return path;
}
