import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';

/**
 * Asks a yes/no question on `output` and reads one line from `input` (a terminal or a pipe); only `y` or
 * `yes` confirm, and end of input or an abort declines.
 */
export async function confirm(
  question: string,
  input: Readable,
  output: Writable,
  signal?: AbortSignal,
): Promise<boolean> {
  const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
  try {
    const answer = await Promise.race([rl.question(`${question} [y/N] `, signal ? { signal } : {}), closed]);
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch {
    return false;
  } finally {
    rl.close();
  }
}
