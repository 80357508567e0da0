/** True when a Redis error says the script cache does not hold the script (restart, SCRIPT FLUSH, failover). */
export function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
