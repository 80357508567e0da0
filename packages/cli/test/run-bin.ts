import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The built binary; the end-to-end tests run it exactly as users do. */
export const binPath = join(packageDir, 'dist', 'bin.js');

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Throws when dist/ is missing or older than src/, instead of testing a stale build. */
export function assertBuilt(): void {
  const hint = 'run `pnpm --filter @redis-locks/cli build` before the tests';
  if (!existsSync(binPath)) throw new Error(`${binPath} does not exist: ${hint}`);
  if (statSync(binPath).mtimeMs < newestSourceMtime(join(packageDir, 'src'))) {
    throw new Error(`dist/ is older than src/: ${hint}`);
  }
}

/** What a finished `redis-locks` process printed and returned. */
export interface BinResult {
  /** Exit code (`null` if killed by a signal). */
  readonly code: number | null;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/** Runs `node dist/bin.js ...args` (in `cwd`, default the package) with `input` on stdin; resolves when it exits by itself. */
export function runBin(
  args: readonly string[],
  options: { input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd ?? packageDir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `redis-locks ${args.join(' ')} did not exit within ${options.timeoutMs ?? 45_000} ms\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 45_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
