/** One Lua script of redis-locks, generated from `lua/<name>.lua` (the source of truth). */
export interface LuaScript {
  /** Script name, the Lua file name without `.lua` (e.g. `lock_acquire`). */
  readonly name: string;
  /** One-line description from the script header. */
  readonly description: string;
  /** The exact Lua source, header included; what EVAL sends. */
  readonly source: string;
  /** Lowercase hex SHA1 of `source`; what EVALSHA sends and SCRIPT LOAD returns. */
  readonly sha1: string;
  /** Names of KEYS[1..n], in order. Trailing keys may be optional (see the script's doc comment). */
  readonly keys: readonly string[];
  /** Names of ARGV[1..n], in order. Trailing arguments may be optional (see the script's doc comment). */
  readonly args: readonly string[];
  /** What the script returns, from the header's `returns:` line. */
  readonly returns: string;
}
