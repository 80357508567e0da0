/** One KEYS or ARGV entry of a script header. */
export interface HeaderEntry {
  readonly name: string;
  readonly description: string;
  /** True when the description contains "(optional". */
  readonly optional: boolean;
}

/** A parsed `lua/<name>.lua`. */
export interface ParsedScript {
  readonly name: string;
  readonly exportName: string;
  readonly description: string;
  readonly keys: readonly HeaderEntry[];
  readonly args: readonly HeaderEntry[];
  readonly returns: string;
  readonly source: string;
  readonly sha1: string;
}

/** Command used in the generated banner and in error messages. */
export declare const REGENERATE_COMMAND: string;

/** Error raised for a Lua file whose header (or ARGV preamble) does not follow the rules. */
export declare class HeaderError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, message: string);
}

/** Parses the header of one Lua script and checks the body against it. */
export declare function parseScript(source: string, file: string): ParsedScript;

/** `lock_acquire` → `lockAcquire`. */
export declare function camelCase(name: string): string;

/** Renders the generated module for the parsed scripts. */
export declare function render(scripts: readonly ParsedScript[]): {
  content: string;
  blocks: Map<string, string>;
};

/** Reads and parses every `lua/*.lua` under `root`, in file-name order. */
export declare function loadScripts(root: string): ParsedScript[];

/** Generates (or, with `check`, verifies) `src/generated/scripts.ts` under `root`; returns the exit code. */
export declare function run(options: {
  root: string;
  check?: boolean;
  log?: (message: string) => void;
  error?: (message: string) => void;
}): number;
