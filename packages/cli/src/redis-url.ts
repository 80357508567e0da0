/** Default URL of `inspect` and `release`: `REDIS_URL`, else a local default server. */
export function defaultRedisUrl(): string {
  return process.env.REDIS_URL || 'redis://127.0.0.1:6379';
}

/** Default URLs of `inspect` and `release`: `REDIS_URL` (several nodes may be comma-separated), else a local one. */
export function defaultRedisUrls(): string[] {
  return defaultRedisUrl()
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
}

/** `url` with any password replaced by `***`, for output. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}
