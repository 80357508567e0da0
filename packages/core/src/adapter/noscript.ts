import type { LuaScript } from '@redis-locks/scripts';

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

/**
 * Chooses EVAL or EVALSHA for each script an adapter runs. The first run of a script goes out as EVAL, which
 * also caches it on the server; later runs use EVALSHA and fall back to EVAL on NOSCRIPT. Starting with EVALSHA
 * would cost a fresh server a NOSCRIPT round trip per script, and the EVAL that follows would be sent after
 * whatever the caller sent meanwhile on the same connection: a Redlock write that settled at a quorum could
 * then still land on the last node after the caller's next request there.
 */
export class ScriptSender {
  private readonly sent = new Set<string>();

  run<T>(script: LuaScript, run: (bySha: boolean) => Promise<T>): Promise<T> {
    if (this.sent.has(script.sha1)) return withScriptFallback(run);
    // Marked when sent, not when answered: requests queued behind this EVAL on its connection find the script.
    this.sent.add(script.sha1);
    return run(false);
  }
}
