/** True when a Redis error says the script cache does not hold the script (restart, SCRIPT FLUSH, failover). */
export function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Runs a script by its sha1 (`run(true)`: EVALSHA) and, when the server's script cache does not hold it,
 * once more with its source (`run(false)`: EVAL). Any other error is rethrown.
 */
export async function withScriptFallback<T>(run: (bySha: boolean) => Promise<T>): Promise<T> {
  try {
    return await run(true);
  } catch (error) {
    if (!isNoScriptError(error)) throw error;
    return await run(false);
  }
}
