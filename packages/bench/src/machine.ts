import { availableParallelism, cpus, totalmem } from 'node:os';

/** The machine a benchmark ran on. */
export interface MachineInfo {
  /** Logical CPUs available to the process (`nproc`). */
  readonly nproc: number;
  /** CPU model from /proc/cpuinfo (via os.cpus()). */
  readonly cpuModel: string;
  /** Total memory in GiB. */
  readonly memoryGiB: number;
  /** `node --version`. */
  readonly node: string;
  /** Redis server version (INFO server). */
  readonly redis: string;
  /** `process.platform` and `process.arch`. */
  readonly platform: string;
}

/** Describes this machine and the Redis `redisVersion` the benchmark ran against. */
export function machineInfo(redisVersion: string): MachineInfo {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    redis: redisVersion,
    platform: `${process.platform} ${process.arch}`,
  };
}
