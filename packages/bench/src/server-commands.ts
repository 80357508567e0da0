import type { Redis } from 'ioredis';

/** Commands the measurement itself sends on its admin connection; never counted. */
const OWN_COMMANDS = /^(info|config\|resetstat|config)$/;

/** Server-side command counts by name (`set`, `evalsha`, ...), including commands run inside Lua scripts. */
export type CommandCounts = Record<string, number>;

/** Zeroes the server's command statistics (`CONFIG RESETSTAT`). */
export async function resetCommandStats(admin: Redis): Promise<void> {
  await admin.config('RESETSTAT');
}

/**
 * Calls per command since the last reset, from `INFO commandstats`, without the INFO/CONFIG calls of the
 * measurement itself. Redis counts commands a script runs (`redis.call`) as well as the EVALSHA.
 */
export async function readCommandStats(admin: Redis): Promise<CommandCounts> {
  const info = await admin.info('commandstats');
  const counts: CommandCounts = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const name = match[1]!;
    if (OWN_COMMANDS.test(name)) continue;
    counts[name] = Number(match[2]);
  }
  return counts;
}

/** The sum of all counts. */
export function totalCommands(counts: CommandCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** CPU seconds the server used so far (`used_cpu_user` + `used_cpu_sys` of `INFO cpu`). */
export async function readServerCpuSeconds(admin: Redis): Promise<number> {
  const info = await admin.info('cpu');
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}
