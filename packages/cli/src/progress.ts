/** Shows what a long-running command is doing, on stderr so stdout stays clean for results. */
export interface Progress {
  /** Shows `message` as the current step. */
  update(message: string): void;
  /** Removes the indicator (a spinner) or does nothing (plain lines). */
  stop(): void;
}

interface SpinnerLike {
  text: string;
  start(): unknown;
  stop(): unknown;
}

/** Prints each step as a plain line on stderr, for logs and pipes. */
class LineProgress implements Progress {
  update(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  stop(): void {}
}

/** A yocto-spinner on stderr, whose text follows the current step. */
class SpinnerProgress implements Progress {
  constructor(private readonly spinner: SpinnerLike) {}

  update(message: string): void {
    this.spinner.text = message;
  }

  stop(): void {
    this.spinner.stop();
  }
}

/** No output at all (`--quiet`). */
class SilentProgress implements Progress {
  update(): void {}
  stop(): void {}
}

/** A spinner when stderr is a terminal, plain lines otherwise, nothing when `quiet`. */
export async function createProgress(quiet: boolean): Promise<Progress> {
  if (quiet) return new SilentProgress();
  if (!process.stderr.isTTY) return new LineProgress();
  // yocto-spinner is ESM-only: loaded on demand, so the CommonJS build of this package still loads.
  const { default: yoctoSpinner } = await import('yocto-spinner');
  const spinner = yoctoSpinner({ stream: process.stderr, handleSignals: false });
  spinner.start();
  return new SpinnerProgress(spinner);
}
