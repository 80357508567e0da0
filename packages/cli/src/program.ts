import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import type { CliContext } from './cli-context.js';
import { registerCompareCommand } from './commands/compare-command.js';
import { registerInspectCommand } from './commands/inspect-command.js';
import { registerReleaseCommand } from './commands/release-command.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';
import { RedisUnreachableError } from './redis-unreachable-error.js';
import { UsageError } from './usage-error.js';

/** The version in this package's package.json (one directory above `dist` and `src`). */
function packageVersion(): string {
  try {
    const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

const EXAMPLES = `
Examples:
  $ redis-locks compare                         # side-by-side comparison on a private redis-server
  $ redis-locks inspect 'orders:*'              # held locks on $REDIS_URL or 127.0.0.1:6379
  $ redis-locks release --force orders:42       # release a stuck lock after confirmation

Exit codes: 0 ok, 1 negative result (overlap found, nothing released), 2 usage error, 3 could not run,
130 interrupted.`;

/** Builds the `redis-locks` commander program; commands report their exit code through `context`. */
export function createProgram(context: CliContext): Command {
  const program = new Command('redis-locks')
    .description('Compare, inspect and force-release redis-locks distributed locks.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .addHelpText('after', EXAMPLES);
  registerCompareCommand(program, context);
  registerInspectCommand(program, context);
  registerReleaseCommand(program, context);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
  }
  return program;
}

/** Streams and signal for {@link runCli}; default to the process's. */
export interface RunCliOptions {
  /** Results. */
  readonly stdout?: CliContext['stdout'];
  /** Progress, prompts, errors. */
  readonly stderr?: CliContext['stderr'];
  /** Prompt answers. */
  readonly stdin?: CliContext['stdin'];
  /** Aborts the running command (the binary wires SIGINT/SIGTERM to it). */
  readonly signal?: AbortSignal;
}

/** Runs `redis-locks` with `args` (without `node` and the script) and resolves with the exit code. */
export async function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT_CODES.ok;
  const context: CliContext = {
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    stdin: options.stdin ?? process.stdin,
    signal: options.signal ?? new AbortController().signal,
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = createProgram(context);
  if (args.length === 0) {
    program.outputHelp({ error: true });
    return EXIT_CODES.usage;
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (context.signal.aborted) {
      context.stderr.write(`${pc.yellow('interrupted')}\n`);
      return EXIT_CODES.interrupted;
    }
    if (error instanceof CommanderError) {
      // commander already printed the message (or the help / version)
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (error instanceof UsageError || error instanceof RangeError) {
      context.stderr.write(`${pc.red('error:')} ${error.message}\n(run with --help for usage)\n`);
      return EXIT_CODES.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    context.stderr.write(`${pc.red('error:')} ${message}\n`);
    if (!(error instanceof RedisUnreachableError) && process.env.DEBUG && error instanceof Error) {
      context.stderr.write(`${error.stack}\n`);
    }
    return EXIT_CODES.runtime;
  }
}
